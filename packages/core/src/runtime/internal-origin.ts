// Server-side rendering calls the server it runs in. Where that server answers is recorded here by the
// server once it listens, never taken from a request (a request's Host header is the caller's to choose).
const key = Symbol.for("tollgate.internal-origin");

type Holder = { [key]?: string | undefined };

/** The loopback origin a server listening on `host:port` can be reached at from its own process. */
export function internalOriginFor(host: string, port: number): string {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "0.0.0.0" || bare === "" || bare === "localhost") return `http://127.0.0.1:${port}`;
  if (bare === "::") return `http://[::1]:${port}`;
  return bare.includes(":") ? `http://[${bare}]:${port}` : `http://${bare}:${port}`;
}

/** Records (or with null, forgets) the origin of the server in this process. */
export function setInternalOrigin(origin: string | null): void {
  (globalThis as Holder)[key] = origin ?? undefined;
}

/** The origin of the server in this process, as it recorded it; null when no server did. */
export function getInternalOrigin(): string | null {
  return (globalThis as Holder)[key] ?? null;
}
