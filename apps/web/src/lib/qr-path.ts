import { encodeQR } from "qr";

/** A QR symbol as one SVG path: `size` modules square (quiet zone included), one `h1v1h-1z` square per dark module. */
export interface QrPath {
  size: number;
  path: string;
}

/** Encodes `text` (an address: byte mode, medium error correction) with a 4-module quiet zone. */
export function qrPath(text: string): QrPath {
  const rows = encodeQR(text, "raw", { ecc: "medium", border: 4 });
  const parts: string[] = [];
  rows.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x} ${y}h1v1h-1z`);
    });
  });
  return { size: rows.length, path: parts.join("") };
}
