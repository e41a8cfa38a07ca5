import { getInternalOrigin } from "@tollgate/core/runtime/internal-origin";

/**
 * Where server components reach the Tollgate server they run in (tRPC and the discovery documents are on
 * its origin). Recorded by the server at start; never derived from the request, whose Host header is the
 * caller's to choose (it would make the server fetch any address and trust what answers).
 */
export function getServerOrigin(): string {
  return getInternalOrigin() ?? "http://127.0.0.1:8402";
}
