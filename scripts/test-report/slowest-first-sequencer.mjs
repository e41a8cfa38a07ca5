// Vitest's order, except that the integration files listed in ./slow-files.json start first, longest
// first: on a fresh clone vitest has no timings and orders by file size, so a long file could start
// last and leave one worker running alone at the end of a pass. Projects and their groupOrder keep
// vitest's order (unit before integration).
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BaseSequencer } from "vitest/node";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const { seconds } = JSON.parse(readFileSync(join(here, "slow-files.json"), "utf8"));

export class SlowestFirstSequencer extends BaseSequencer {
  async sort(files) {
    const sorted = await super.sort(files);
    const weight = (spec) => seconds[relative(root, spec.moduleId)] ?? 0;
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort(
        (a, b) =>
          a.spec.project.config.sequence.groupOrder - b.spec.project.config.sequence.groupOrder ||
          (a.spec.project.name === b.spec.project.name ? 0 : a.spec.project.name < b.spec.project.name ? -1 : 1) ||
          weight(b.spec) - weight(a.spec) ||
          a.index - b.index,
      )
      .map(({ spec }) => spec);
  }
}
