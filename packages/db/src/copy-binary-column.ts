// Reads the output of `COPY (SELECT one_text_column ...) TO STDOUT (FORMAT binary)`: each value's bytes
// exactly as stored, with no escaping to undo (the text and csv formats would escape or quote them).
// Format: an 11-byte signature, a 32-bit flags field and a 32-bit header-extension length (then that many
// bytes); per row a 16-bit field count (-1 ends the data), per field a 32-bit length (-1: NULL) and the bytes.

const signature = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/** The values of the single column of a binary COPY stream, concatenated per chunk received (no copy per row). */
export async function* readCopyBinaryColumn(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  let headerRead = false;
  for await (const chunk of source) {
    const buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    let at = 0;
    if (!headerRead) {
      if (buf.length < 19) {
        pending = buf;
        continue;
      }
      if (!buf.subarray(0, 11).equals(signature)) throw new Error("COPY output is not in the binary format");
      const extension = buf.readInt32BE(15);
      if (buf.length < 19 + extension) {
        pending = buf;
        continue;
      }
      at = 19 + extension;
      headerRead = true;
    }
    const values: Buffer[] = [];
    while (buf.length - at >= 2) {
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        at = buf.length;
        break;
      }
      if (fields !== 1) throw new Error(`COPY row has ${fields} columns, expected 1`);
      if (buf.length - at < 6) break;
      const length = Math.max(0, buf.readInt32BE(at + 2));
      if (buf.length - at < 6 + length) break;
      values.push(buf.subarray(at + 6, at + 6 + length));
      at += 6 + length;
    }
    pending = buf.subarray(at);
    if (values.length > 0) yield Buffer.concat(values);
  }
}
