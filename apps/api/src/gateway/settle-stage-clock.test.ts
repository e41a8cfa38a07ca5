import { describe, expect, it } from "vitest";
import { createStageClock, parseServerTiming } from "./settle-stage-clock.ts";

describe("settlement stage clock", () => {
  it("each mark ends the stage since the previous one; the header carries them and the total, parsed back by name", async () => {
    const started = performance.now();
    const clock = createStageClock(started);
    await new Promise((resolve) => setTimeout(resolve, 15));
    clock.mark("verify");
    clock.mark("insert");
    const header = clock.header();
    expect(header).toMatch(/^verify;dur=\d+\.\d{2}, insert;dur=\d+\.\d{2}, total;dur=\d+\.\d{2}$/);
    const stages = parseServerTiming(header);
    expect([...stages.keys()]).toEqual(["verify", "insert", "total"]);
    expect(stages.get("verify")).toBeGreaterThanOrEqual(10);
    expect(stages.get("insert")).toBeGreaterThanOrEqual(0);
    expect(stages.get("total")).toBeGreaterThanOrEqual(
      (stages.get("verify") ?? 0) + (stages.get("insert") ?? 0) - 0.02,
    );
  });

  it("parsing adds up a repeated stage and skips entries without a duration", () => {
    const stages = parseServerTiming("db;dur=1.5, cache;desc=miss, db;dur=2, app;dur=abc, edge ; dur=0.25");
    expect(Object.fromEntries(stages)).toEqual({ db: 3.5, edge: 0.25 });
  });
});
