import type { IncomingMessage } from "node:http";

/** The loopback origin a request arrived on (Try it pays the gateway of this very server); the default port without one. */
export function localOriginOf(req: IncomingMessage | undefined): string {
  if (!req) return "http://127.0.0.1:8402";
  const address = req.socket.localAddress ?? "127.0.0.1";
  const host = address.includes(":") ? (address.startsWith("::ffff:") ? address.slice(7) : `[${address}]`) : address;
  return `http://${host}:${req.socket.localPort}`;
}
