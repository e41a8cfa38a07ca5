import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) is `127.0.0.1`. */
function normalizeAddress(address: string): string {
  const trimmed = address.trim().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped?.[1] ?? trimmed;
}

/** A proxy entry (`10.0.0.1`, `10.0.0.0/8`, `fd00::/8`), or a message saying what is wrong with it. */
export function parseProxyEntry(
  entry: string,
): { ok: true; address: string; prefix: number; family: "ipv4" | "ipv6" } | { ok: false; message: string } {
  const [rawAddress = "", rawPrefix] = entry.trim().split("/");
  const address = normalizeAddress(rawAddress);
  const version = isIP(address);
  if (version === 0) return { ok: false, message: `"${entry}" is not an IP address or CIDR range` };
  const max = version === 4 ? 32 : 128;
  const prefix = rawPrefix === undefined ? max : Number(rawPrefix);
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > max ||
    (rawPrefix !== undefined && !/^\d+$/.test(rawPrefix))
  ) {
    return { ok: false, message: `"${entry}" has a bad prefix length (0–${max})` };
  }
  return { ok: true, address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** Whether an address (or a request's socket peer) is one of the configured trusted proxies. */
function createProxyTrust(trustedProxies: readonly string[]) {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const parsed = parseProxyEntry(entry);
    if (!parsed.ok) throw new Error(parsed.message);
    trusted.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  const isTrusted = (address: string) => {
    const version = isIP(address);
    return trustedProxies.length > 0 && version !== 0 && trusted.check(address, version === 4 ? "ipv4" : "ipv6");
  };
  const peerOf = (req: IncomingMessage) => normalizeAddress(req.socket.remoteAddress ?? "unknown");
  return { isTrusted, peerOf, isTrustedPeer: (req: IncomingMessage) => isTrusted(peerOf(req)) };
}

/**
 * Resolves the client's address: the socket's peer, unless that peer is a configured trusted proxy, in
 * which case `X-Forwarded-For` is read from the right, skipping trusted proxies, and the first address
 * that is not one is the client. `X-Forwarded-For` from anyone else is ignored (anyone can send it).
 */
export function createClientAddressResolver(trustedProxies: readonly string[]): (req: IncomingMessage) => string {
  const { isTrusted, peerOf } = createProxyTrust(trustedProxies);
  return (req) => {
    const peer = peerOf(req);
    if (!isTrusted(peer)) return peer;
    const header = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
      .split(",")
      .map(normalizeAddress)
      .filter((hop) => hop !== "");
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] ?? "";
      if (isIP(hop) === 0) return peer;
      if (!isTrusted(hop)) return hop;
    }
    return hops[0] ?? peer;
  };
}

/** Headers only a reverse proxy may set: what they say about the client is believed from trusted proxies only. */
export const proxyHeaders = [
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-forwarded-port",
  "x-forwarded-prefix",
  "x-real-ip",
  "forwarded",
] as const;

/**
 * Removes the proxy headers (`X-Forwarded-Proto`, `-Host`, `-For`, `Forwarded`, …) from a request whose peer is
 * not a trusted proxy, so nothing downstream (the session cookie's `Secure`, the web app, the headers the
 * gateway forwards upstream) believes what an arbitrary client claims about the connection.
 */
export function createProxyHeaderFilter(trustedProxies: readonly string[]): (req: IncomingMessage) => void {
  const { isTrustedPeer } = createProxyTrust(trustedProxies);
  return (req) => {
    if (isTrustedPeer(req)) return;
    for (const name of proxyHeaders) delete req.headers[name];
  };
}
