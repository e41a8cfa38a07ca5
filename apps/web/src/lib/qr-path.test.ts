import decodeQR from "qr/decode.js";
import { describe, expect, it } from "vitest";
import { qrPath } from "./qr-path.ts";
import { rasterizeQrPath as rasterize } from "./testing/rasterize-qr-path.ts";

describe("qrPath", () => {
  it("draws a symbol a scanner reads back as the agent's address", () => {
    const address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const symbol = qrPath(address);
    // Version 3 (29 modules) at medium correction holds 42 bytes, plus the 4-module quiet zone each side.
    expect(symbol.size).toBe(29 + 8);
    expect(decodeQR(rasterize(symbol, 4))).toBe(address);
  });

  it("another address gives another symbol", () => {
    expect(qrPath("0x00000000000000000000000000000000000000a1").path).not.toBe(
      qrPath("0x00000000000000000000000000000000000000a2").path,
    );
  });
});
