import { describe, expect, it } from "vitest";
import { isMetricsPublic } from "./metrics-exposure.ts";

describe("isMetricsPublic", () => {
  it("is public on loopback and private on a network address unless the setting says otherwise", () => {
    expect(isMetricsPublic({ setting: undefined, host: "127.0.0.1" })).toBe(true);
    expect(isMetricsPublic({ setting: undefined, host: "::1" })).toBe(true);
    expect(isMetricsPublic({ setting: undefined, host: "0.0.0.0" })).toBe(false);
    expect(isMetricsPublic({ setting: undefined, host: "192.168.1.20" })).toBe(false);
    expect(isMetricsPublic({ setting: true, host: "0.0.0.0" })).toBe(true);
    expect(isMetricsPublic({ setting: false, host: "127.0.0.1" })).toBe(false);
  });
});
