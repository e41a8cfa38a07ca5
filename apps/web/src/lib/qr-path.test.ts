import decodeQR from "qr/decode.js";
import { describe, expect, it } from "vitest";
import { qrPath } from "./qr-path.ts";

/** Paints the path's squares into an RGBA image (`scale` pixels per module), as a screen would show it. */
function rasterize({ size, path }: { size: number; path: string }, scale: number) {
  const width = size * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const [, x, y] of path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const at = ((Number(y) * scale + dy) * width + Number(x) * scale + dx) * 4;
        data.fill(0, at, at + 3);
      }
    }
  }
  return { width, height: width, data };
}

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
