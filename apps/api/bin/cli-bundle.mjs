// Whether the bundled CLIs (apps/api/dist/tollgate.mjs and the box CLI box/tollgate.mjs) are current: every input listed when it was
// built (scripts/build-cli.mjs) still has the same size and modification time. Run directly, it
// exits 0 when current and 1 otherwise (scripts/lib.sh rebuilds then).
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../../../", import.meta.url);
export const cliBundle = new URL("apps/api/dist/tollgate.mjs", root);
export const boxCliBundle = new URL("apps/api/dist/box/tollgate.mjs", root);

export function cliBundleIsCurrent() {
  try {
    statSync(cliBundle);
    statSync(boxCliBundle);
    const { inputs } = JSON.parse(readFileSync(new URL("apps/api/dist/tollgate.inputs.json", root), "utf8"));
    return inputs.every(([path, size, mtimeMs]) => {
      const s = statSync(new URL(path, root));
      return s.size === size && s.mtimeMs === mtimeMs;
    });
  } catch {
    return false;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(cliBundleIsCurrent() ? 0 : 1);
