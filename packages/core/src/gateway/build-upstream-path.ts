/** The upstream path for a request, or why the request path is refused (it would leave the upstream's base). */
export type UpstreamPathResult = { ok: true; path: string } | { ok: false; message: string };

// Decoding stops here: a segment still percent-encoded after this many rounds is refused outright.
const maxDecodeRounds = 4;

function refuse(message: string): UpstreamPathResult {
  return { ok: false, message };
}

/**
 * Decodes a path segment until it stops changing, so `%2e`, `%252e` and mixed encodings all show what a
 * lenient upstream could make of them; null when an encoding is malformed or never settles.
 */
function fullyDecode(segment: string): string | null {
  let current = segment;
  for (let round = 0; round < maxDecodeRounds; round++) {
    if (!current.includes("%")) return current;
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return current.includes("%") && /%[0-9a-f]{2}/i.test(current) ? null : current;
}

/**
 * Joins the offer's upstream base path with the rest of the request path (still percent-encoded, as it
 * arrived) so the result can never leave the base: dot segments are resolved inside the rest and refused
 * when they climb above it, and segments that decode (once or more) to a separator, a dot segment, a
 * backslash or a control character are refused. Other segments pass through exactly as they arrived.
 */
export function buildUpstreamPath({ basePath, rest }: { basePath: string; rest: string }): UpstreamPathResult {
  const base = basePath.replace(/\/+$/, "");
  if (rest === "") return { ok: true, path: base || "/" };
  if (rest.includes("\\")) return refuse("The path contains a backslash");
  const raw = rest.startsWith("/") ? rest.slice(1) : rest;
  const kept: string[] = [];
  const segments = raw.split("/");
  for (const [index, segment] of segments.entries()) {
    const decoded = fullyDecode(segment);
    if (decoded === null) return refuse("The path has a malformed percent-encoding");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(decoded)) return refuse("The path contains a control character");
    if (decoded.includes("\\")) return refuse("The path contains an encoded backslash");
    if (decoded === "." || decoded === "..") {
      if (segment !== decoded) return refuse("The path contains an encoded dot segment");
      if (decoded === "..") {
        if (kept.length === 0) return refuse("The path climbs above the service's base path");
        kept.pop();
      }
      // A trailing dot segment leaves a directory, as in URL resolution.
      if (index === segments.length - 1) kept.push("");
      continue;
    }
    if (decoded.includes("/")) return refuse("The path contains an encoded slash");
    kept.push(segment);
  }
  return { ok: true, path: `${base}/${kept.join("/")}` };
}
