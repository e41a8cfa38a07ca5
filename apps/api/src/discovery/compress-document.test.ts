import { gunzipSync } from "node:zlib";
import type { DocumentSegment } from "@tollgate/core/discovery/index";
import { describe, expect, it } from "vitest";
import { createSegmentGzip } from "./compress-document.ts";

function documentOf(texts: Map<string, string>): { segments: DocumentSegment[]; bytes: Buffer } {
  const segments: DocumentSegment[] = [{ key: null, text: '{\n  "services": [\n' }];
  for (const [key, text] of texts) segments.push({ key, text }, { key: null, text: ",\n" });
  segments.push({ key: null, text: "\n  ]\n}\n" });
  return { segments, bytes: Buffer.from(segments.map((s) => s.text).join(""), "utf8") };
}

describe("createSegmentGzip", () => {
  it("produces gzip that inflates to the document, before and after one offer changed", async () => {
    const texts = new Map(
      Array.from({ length: 2_000 }, (_, i) => [`offer-${i}#1`, `    {"name": "svc-${i}", "note": "café ✓ ${i}"}`]),
    );
    const gzipSegments = createSegmentGzip();
    const first = documentOf(texts);
    const zipped = await gzipSegments(first.segments, first.bytes);
    expect(gunzipSync(zipped).equals(first.bytes)).toBe(true);
    expect(zipped.length).toBeLessThan(first.bytes.length / 4);

    texts.delete("offer-700#1");
    texts.set("offer-700#2", '    {"name": "svc-700", "note": "changed"}');
    const second = documentOf(texts);
    const rezipped = await gzipSegments(second.segments, second.bytes);
    expect(gunzipSync(rezipped).toString("utf8")).toBe(second.bytes.toString("utf8"));
    expect(gunzipSync(rezipped).toString("utf8")).toContain('"note": "changed"');
  });

  it("compresses an empty document", async () => {
    const doc = documentOf(new Map());
    expect(gunzipSync(await createSegmentGzip()(doc.segments, doc.bytes)).equals(doc.bytes)).toBe(true);
  });
});
