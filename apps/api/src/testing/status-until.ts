/**
 * Requests `url` until it answers `wanted` or `timeoutMs` passes (the reconciler publishes or removes a route
 * asynchronously); returns the last status seen, so the caller's assertion shows what it got instead.
 */
export async function statusUntil(
  request: { url: string; init: () => RequestInit },
  wanted: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await fetch(request.url, request.init())).status;
    if (status === wanted) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  return status;
}
