import { describe, expect, it } from "vitest";
import { readCopyBinaryColumn } from "./copy-binary-column.ts";

/** A binary COPY stream of one text column, as Postgres writes it. */
function copyBinary(values: (string | null)[], extension = Buffer.alloc(0)): Buffer {
  const header = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8), extension]);
  header.writeInt32BE(extension.length, 15);
  const rows = values.map((value) => {
    const bytes = value === null ? Buffer.alloc(0) : Buffer.from(value, "utf8");
    const row = Buffer.alloc(6);
    row.writeInt16BE(1, 0);
    row.writeInt32BE(value === null ? -1 : bytes.length, 2);
    return Buffer.concat([row, bytes]);
  });
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  return Buffer.concat([header, ...rows, trailer]);
}

async function read(chunks: Buffer[]): Promise<string> {
  const out: Buffer[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const chunk of readCopyBinaryColumn(source())) out.push(chunk);
  return Buffer.concat(out).toString("utf8");
}

describe("readCopyBinaryColumn", () => {
  const values = ["a,b\r\n", "", 'quote " and \\ backslash, tab\t and é€\r\n', null, "last\r\n"];
  const expected = values.map((v) => v ?? "").join("");

  it("returns each value's bytes as stored: no escaping, NULL as nothing", async () => {
    expect(await read([copyBinary(values)])).toBe(expected);
  });

  it("reassembles values split across chunks at every possible byte boundary", async () => {
    const whole = copyBinary(values, Buffer.from("ext"));
    for (let cut = 1; cut < whole.length; cut++) {
      expect(await read([whole.subarray(0, cut), whole.subarray(cut)])).toBe(expected);
    }
    expect(await read([...whole].map((byte) => Buffer.from([byte])))).toBe(expected);
  });

  it("refuses output that is not a one-column binary COPY", async () => {
    await expect(read([Buffer.from("id\tname\n1\tx\n".repeat(3))])).rejects.toThrow("binary format");
    const twoColumns = copyBinary(["x"]);
    twoColumns.writeInt16BE(2, 19);
    await expect(read([twoColumns])).rejects.toThrow("2 columns");
  });
});
