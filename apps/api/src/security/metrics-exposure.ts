/** True for a listen address only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/**
 * Whether GET /metrics answers without a token: as TOLLGATE_METRICS_PUBLIC says when it is set, else only
 * when the server listens on loopback (bound to a network, the per-offer revenue series need a read token).
 */
export function isMetricsPublic({ setting, host }: { setting: boolean | undefined; host: string }): boolean {
  return setting ?? isLoopbackHost(host);
}
