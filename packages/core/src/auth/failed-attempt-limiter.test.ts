import { describe, expect, it } from "vitest";
import { createFailedAttemptLimiter } from "./failed-attempt-limiter.ts";

describe("createFailedAttemptLimiter", () => {
  it("refuses after maxFailures in the window and lets the key try again once the window passes", () => {
    let now = Date.parse("2026-11-23T10:00:00Z");
    const limiter = createFailedAttemptLimiter({ maxFailures: 3, windowMs: 60_000, clock: () => new Date(now) });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds("1.2.3.4")).toBe(0);
      limiter.recordFailure("1.2.3.4");
      now += 1_000;
    }
    expect(limiter.retryAfterSeconds("1.2.3.4")).toBe(57);
    expect(limiter.retryAfterSeconds("5.6.7.8")).toBe(0);
    now += 57_000;
    expect(limiter.retryAfterSeconds("1.2.3.4")).toBe(0);
  });

  it("a success resets the key", () => {
    const limiter = createFailedAttemptLimiter({ maxFailures: 1, windowMs: 60_000, clock: () => new Date() });
    limiter.recordFailure("k");
    expect(limiter.retryAfterSeconds("k")).toBeGreaterThan(0);
    limiter.reset("k");
    expect(limiter.retryAfterSeconds("k")).toBe(0);
  });
});
