// The gateway setting of the kubernetes driver, without the Kubernetes client: the server reads it
// (cluster status) whatever the driver, and loads the client only with TOLLGATE_DRIVER=kubernetes.
/** The ledger setting naming the parent Gateway of every HTTPRoute (`<namespace>/<name>`). */
export const GATEWAY_SETTING = "kubernetes.gateway";

/** Parses `<namespace>/<name>`; null when unset or malformed. */
export function parseGatewayRef(value: unknown): { namespace: string; name: string } | null {
  if (typeof value !== "string") return null;
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(value);
  return m ? { namespace: m[1]!, name: m[3]! } : null;
}
