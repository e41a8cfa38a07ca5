// Upstreams may point at loopback and private addresses (sellers run local services), but never at the
// ports of Tollgate's own processes: an offer whose upstream is Tollgate itself loops through the gateway,
// and one pointed at the ledger's PostgreSQL or the devnet's RPC would sell access to them. These ports are
// known only at run time (the embedded PostgreSQL picks a free one), so the composition root hands them in.

/** A port one of this server's own processes listens on. */
export interface OwnEndpoint {
  /** The address it listens on (`127.0.0.1`, `0.0.0.0`, `::`, a host name, or a Unix socket directory). */
  host: string;
  port: number;
  /** What listens there, as an error names it: "Tollgate itself", "the ledger's PostgreSQL". */
  label: string;
}

/** The server's own endpoints, and the addresses of this machine that reach a listener on all interfaces. */
export interface OwnEndpoints {
  endpoints: readonly OwnEndpoint[];
  /** This machine's interface addresses (a listener on 0.0.0.0 answers on each of them). */
  machineAddresses?: readonly string[];
}

function bareHost(host: string): string {
  return host
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
}

/** Loopback, the unspecified address (connecting to 0.0.0.0 or :: reaches this machine) or a Unix socket. */
function isThisMachine(host: string): boolean {
  const h = bareHost(host);
  if (h === "localhost" || h.endsWith(".localhost") || h.startsWith("/")) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "0.0.0.0") return true;
  if (h === "::1" || h === "::" || h === "0:0:0:0:0:0:0:1" || h === "0:0:0:0:0:0:0:0") return true;
  // IPv4-mapped forms of the same (`::ffff:127.0.0.1`, and what the URL parser makes of it: `::ffff:7f00:1`).
  return /^::ffff:(127\.|0\.0\.0\.0$|7f[0-9a-f]{2}:)/.test(h) || h === "::ffff:0:0";
}

function defaultPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

/**
 * The own endpoint an upstream URL would reach (same port, and a host that reaches that listener), or null.
 * A host on this machine (loopback, 0.0.0.0, one of its interface addresses) reaches a listener bound to any
 * of them; any other host only a listener bound to that very host.
 */
export function findOwnEndpoint(url: URL, own: OwnEndpoints): OwnEndpoint | null {
  const port = defaultPort(url);
  const host = bareHost(url.hostname);
  const machine = new Set((own.machineAddresses ?? []).map(bareHost));
  const local = (h: string) => isThisMachine(h) || machine.has(h);
  for (const endpoint of own.endpoints) {
    if (endpoint.port !== port) continue;
    const listening = bareHost(endpoint.host);
    if (host === listening || (local(host) && local(listening))) return endpoint;
  }
  return null;
}

/** An http(s) upstream as a URL; null for anything else (`demo://`, `k8s://`, not a URL). */
function parseHttpUrl(upstream: string): URL | null {
  try {
    const url = new URL(upstream);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** Why an upstream URL is refused because it reaches one of the server's own ports, or null. */
export function findOwnEndpointUpstream(upstream: string, own: OwnEndpoints): string | null {
  const url = parseHttpUrl(upstream);
  if (!url) return null;
  const endpoint = findOwnEndpoint(url, own);
  if (!endpoint) return null;
  return `must not point at ${endpoint.label} (port ${endpoint.port} on this machine); give the address of the service you sell`;
}

/** True for an IPv4 or IPv6 literal host (no name to resolve). */
export function isIpLiteralHost(hostname: string): boolean {
  const h = bareHost(hostname);
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(":");
}

/**
 * Why an upstream is refused because its host name resolves (`addresses`, as DNS or /etc/hosts answered) to
 * one of the server's own ports, or null. A name like the machine's own (`vm` → 127.0.0.1) passes the literal
 * check; this catches it.
 */
export function findOwnEndpointByAddresses(
  upstream: string,
  addresses: readonly string[],
  own: OwnEndpoints,
): string | null {
  const url = parseHttpUrl(upstream);
  if (!url) return null;
  const port = defaultPort(url);
  for (const address of addresses) {
    const host = address.includes(":") ? `[${bareHost(address)}]` : address;
    const endpoint = findOwnEndpoint(new URL(`${url.protocol}//${host}:${port}`), own);
    if (endpoint) {
      return `must not point at ${endpoint.label} (port ${port} on this machine: ${url.hostname} resolves to ${address}); give the address of the service you sell`;
    }
  }
  return null;
}

/**
 * Why an http(s) URL reaches one of the server's own ports, by its literal host or else by what its host name
 * resolves to (`resolveHost`), or null. Offer upstreams and agents' external runtimes are checked with it.
 */
export async function findOwnEndpointReason({
  url,
  own,
  resolveHost,
}: {
  url: string;
  own: OwnEndpoints | undefined;
  resolveHost?: ((hostname: string) => Promise<readonly string[]>) | undefined;
}): Promise<string | null> {
  if (!own) return null;
  const reason = findOwnEndpointUpstream(url, own);
  if (reason) return reason;
  const hostname = parseHttpUrl(url)?.hostname ?? "";
  if (!resolveHost || !hostname || isIpLiteralHost(hostname)) return null;
  return findOwnEndpointByAddresses(url, await resolveHost(hostname), own);
}
