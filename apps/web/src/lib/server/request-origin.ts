import { headers } from "next/headers";

/**
 * The origin of the incoming request as this process can reach it over plain HTTP. `tollgate serve`
 * answers the discovery documents and tRPC on the same origin as the pages, so server components fetch
 * from it like any client would.
 */
export async function getRequestOrigin(): Promise<string> {
  const incoming = await headers();
  const host = incoming.get("host") ?? "127.0.0.1:8402";
  return `http://${host}`;
}
