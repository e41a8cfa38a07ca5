// Printable-ASCII JSON (nearly every x402 header) takes a fast path; anything else goes through UTF-8 bytes.
const ASCII = /^[ -~\t\n\r]*$/;

/** Encodes a JSON value as base64 of its UTF-8 text (the x402 header encoding). */
export function encodeBase64Json(value: unknown): string {
  const json = JSON.stringify(value);
  if (ASCII.test(json)) return btoa(json);
  const bytes = new TextEncoder().encode(json);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Decodes base64 (standard or url-safe) UTF-8 JSON; throws on bad base64 or bad JSON. */
export function decodeBase64Json(text: string): unknown {
  const normalized = text.trim().replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(normalized);
  if (ASCII.test(binary)) return JSON.parse(binary);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
}
