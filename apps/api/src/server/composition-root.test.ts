// Architecture rules of issue 10 (acceptance 5), checked over the source tree: leaves never reach up into
// `server/`, and the composition root is the only place that constructs a repository.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const files = sourceFiles(srcDir).map((path) => ({
  path,
  rel: relative(srcDir, path),
  text: readFileSync(path, "utf8"),
}));
const isTestSupport = (rel: string) =>
  /\.test\.ts$/.test(rel) || /(^|\/)testing\//.test(rel) || rel.startsWith("bench/");

describe("composition rules", () => {
  it("no leaf folder imports server/ (only the `serve` entry point starts it; test harnesses assemble it)", () => {
    const offenders: string[] = [];
    for (const file of files) {
      if (file.rel.startsWith("server/") || isTestSupport(file.rel) || file.rel === "cli/commands/serve.ts") continue;
      for (const match of file.text.matchAll(/(?:from\s+|import\s*\(?\s*)["']([^"']+)["']/g)) {
        const specifier = match[1] ?? "";
        if (!specifier.startsWith(".")) continue;
        const target = relative(srcDir, resolve(dirname(file.path), specifier));
        if (target.startsWith("server/")) offenders.push(`${file.rel} imports ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("repositories are constructed only in the composition root (server/compose.ts)", () => {
    // The one other root: `tollgate export|import` on a stopped box opens the home's ledger itself
    // (bundle/open-home-ledger.ts) and the import reads that ledger's devnet keys and setting.
    const otherRoots = new Set(["bundle/import-bundle.ts"]);
    const construction = /\bcreate(?:\w+Repository|AuditLog|SecretStore|SettingsStore)\s*\(/g;
    const offenders = files
      .filter((file) => file.rel !== "server/compose.ts" && !otherRoots.has(file.rel) && !isTestSupport(file.rel))
      .flatMap((file) =>
        [...file.text.matchAll(construction)]
          .filter((match) => !/export\s+(async\s+)?function\s+$/.test(file.text.slice(0, match.index)))
          .map((match) => `${file.rel}: ${match[0]}`),
      );
    expect(offenders).toEqual([]);
    expect(files.find((f) => f.rel === "server/compose.ts")?.text).toMatch(/createOfferRepository\(/);
  });
});
