/** Headers that describe one connection, never forwarded (RFC 9110 §7.6.1) — plus `host`, set per hop. */
const hopByHopHeaders = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

/** The buyer's payment and credentials: they are for Tollgate, never for the upstream. */
const buyerOnlyHeaders = new Set(["payment-signature", "x-payment", "authorization", "cookie"]);

/** Response headers the upstream may not set on Tollgate's origin (its session cookie lives there). */
const upstreamForbiddenResponseHeaders = new Set(["set-cookie", "set-cookie2"]);

type Headers = Record<string, string | string[] | undefined>;

function connectionTokens(headers: Headers): Set<string> {
  const value = headers.connection;
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  return new Set(
    text
      .split(",")
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * The headers to send upstream: the buyer's request headers without hop-by-hop headers (and those named in
 * `Connection`), without the payment and the buyer's `Authorization`/`Cookie`, plus `X-Payment-Payer`,
 * the `X-Forwarded-*` trio, and the offer's own upstream credentials if it has any.
 */
export function buildUpstreamRequestHeaders({
  headers,
  payer,
  forwardedFor,
  forwardedProto,
  forwardedHost,
  credentials = {},
}: {
  headers: Headers;
  payer: string;
  forwardedFor?: string | undefined;
  forwardedProto: string;
  forwardedHost?: string | undefined;
  credentials?: Record<string, string>;
}): Record<string, string | string[]> {
  const named = connectionTokens(headers);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === undefined || hopByHopHeaders.has(key) || named.has(key) || buyerOnlyHeaders.has(key)) continue;
    if (key === "x-payment-payer" || key.startsWith("x-forwarded-")) continue;
    out[key] = value;
  }
  out["x-payment-payer"] = payer;
  const priorFor = headers["x-forwarded-for"];
  const prior = Array.isArray(priorFor) ? priorFor.join(", ") : priorFor;
  if (forwardedFor) out["x-forwarded-for"] = prior ? `${prior}, ${forwardedFor}` : forwardedFor;
  out["x-forwarded-proto"] = forwardedProto;
  if (forwardedHost) out["x-forwarded-host"] = forwardedHost;
  for (const [name, value] of Object.entries(credentials)) out[name.toLowerCase()] = value;
  return out;
}

/** The upstream's response headers as the buyer gets them: no hop-by-hop headers and no cookies. */
export function buildClientResponseHeaders(headers: Headers): Record<string, string | string[]> {
  const named = connectionTokens(headers);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === undefined || hopByHopHeaders.has(key) || named.has(key)) continue;
    if (upstreamForbiddenResponseHeaders.has(key)) continue;
    out[key] = value;
  }
  return out;
}
