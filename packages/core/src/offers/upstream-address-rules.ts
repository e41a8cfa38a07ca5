// Where an upstream may not point (SPEC §4.3). Loopback and private addresses stay allowed: sellers run
// local services. Link-local and cloud metadata addresses are how a server is tricked into leaking its
// cloud credentials, so they are refused whatever spelling the URL uses (the URL parser already turns
// 0xA9FE.43518, 2852039166 and friends into dotted quads).

const metadataHostnames = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data"]);

function ipv4Octets(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** Expands an IPv6 literal (no brackets) into 8 groups, or null. */
function ipv6Groups(host: string): number[] | null {
  if (!host.includes(":")) return null;
  let text = host.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const o = ipv4Octets(v4[1]);
    if (!o) return null;
    text = `${text.slice(0, -v4[1].length)}${(((o[0] ?? 0) << 8) | (o[1] ?? 0)).toString(16)}:${(((o[2] ?? 0) << 8) | (o[3] ?? 0)).toString(16)}`;
  }
  const [head = "", tail, extra] = text.split("::");
  if (extra !== undefined) return null;
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array(tail === undefined ? 0 : missing).fill("0"), ...right].map((g) =>
    /^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN,
  );
  return groups.length === 8 && groups.every((g) => !Number.isNaN(g)) ? groups : null;
}

function isLinkLocalIpv4(octets: number[]): boolean {
  return octets[0] === 169 && octets[1] === 254;
}

/** Why an upstream host is refused (link-local or cloud metadata), or null when it may be used. */
export function findForbiddenUpstreamHost(hostname: string): string | null {
  const host = hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
  if (metadataHostnames.has(host)) return `${host} is a cloud metadata service`;
  const v4 = ipv4Octets(host);
  if (v4) return isLinkLocalIpv4(v4) ? `${host} is link-local (169.254.0.0/16, cloud metadata)` : null;
  const v6 = ipv6Groups(host);
  if (!v6) return null;
  if (((v6[0] ?? 0) & 0xffc0) === 0xfe80) return `${host} is link-local (fe80::/10)`;
  if (v6.join(":") === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(":")) return `${host} is the EC2 metadata service`;
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms reach the IPv4 address.
  const embedsIpv4 = v6.slice(0, 5).every((g) => g === 0) && (v6[5] === 0xffff || v6[5] === 0);
  if (embedsIpv4) {
    const octets = [(v6[6] ?? 0) >> 8, (v6[6] ?? 0) & 0xff, (v6[7] ?? 0) >> 8, (v6[7] ?? 0) & 0xff];
    if (isLinkLocalIpv4(octets)) return `${host} maps to a link-local IPv4 address (cloud metadata)`;
  }
  return null;
}

/** Why an upstream URL is refused by the address rules (userinfo, link-local, metadata), or null. */
export function findForbiddenUpstreamUrl(url: URL): string | null {
  if (url.username || url.password) {
    return "must not carry a user name or password; give the upstream's credentials separately";
  }
  const host = findForbiddenUpstreamHost(url.hostname);
  return host ? `must not point at ${host}` : null;
}
