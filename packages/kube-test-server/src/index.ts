import { randomBytes } from "node:crypto";
import { KubeTestServer } from "./http-server.ts";
import { writeKubeconfig } from "./kubeconfig.ts";

export { KubeTestServer } from "./http-server.ts";
export { renderKubeconfig, writeKubeconfig } from "./kubeconfig.ts";
export type { KubeObject, ResourceDef } from "./types.ts";

export type StartedKubeTestServer = {
  server: KubeTestServer;
  url: string;
  token: string;
  kubeconfig: string | undefined;
  stop: () => Promise<void>;
};

/** Starts a test API server, optionally writing a kubeconfig for it; resolves when it listens. */
export const startKubeTestServer = async (
  options: { port?: number; host?: string; kubeconfig?: string; token?: string; historyLimit?: number } = {},
): Promise<StartedKubeTestServer> => {
  const token = options.token ?? randomBytes(24).toString("hex");
  const server = new KubeTestServer({
    token,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.historyLimit !== undefined ? { historyLimit: options.historyLimit } : {}),
  });
  const url = await server.listen();
  if (options.kubeconfig) writeKubeconfig(options.kubeconfig, { server: url, token, caData: server.caData });
  return { server, url, token, kubeconfig: options.kubeconfig, stop: () => server.close() };
};
