// Compiles contracts/*.sol with solc-js and writes contracts/artifacts/ (committed; a unit test checks they match).
// Run: pnpm --filter @tollgate/api exec tsx ../../contracts/compile.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  artifactsDir,
  compileContracts,
  compilerVersion,
  readContractSources,
  renderArtifacts,
} from "../apps/api/src/chain/compile-contracts.ts";

const compiled = compileContracts(readContractSources());
mkdirSync(artifactsDir, { recursive: true });
for (const [file, content] of Object.entries(renderArtifacts(compiled))) {
  writeFileSync(join(artifactsDir, file), content);
}
console.log(`solc ${compilerVersion()}: wrote ${compiled.map((c) => c.contractName).join(", ")} to ${artifactsDir}`);
