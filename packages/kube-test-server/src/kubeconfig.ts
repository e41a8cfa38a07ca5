import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** A kubeconfig (JSON is valid YAML) pointing at the test server with its bearer token. */
export const renderKubeconfig = (options: {
  server: string;
  token: string;
  caData: string;
  name?: string;
  namespace?: string;
}): string => {
  const name = options.name ?? "tollgate-test";
  return `${JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name,
          cluster: {
            server: options.server,
            "certificate-authority-data": Buffer.from(options.caData).toString("base64"),
          },
        },
      ],
      users: [{ name, user: { token: options.token } }],
      contexts: [{ name, context: { cluster: name, user: name, namespace: options.namespace ?? "default" } }],
      "current-context": name,
      preferences: {},
    },
    null,
    2,
  )}\n`;
};

/** Writes a kubeconfig file with mode 0600 (it holds the token). */
export const writeKubeconfig = (file: string, options: Parameters<typeof renderKubeconfig>[0]): void => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderKubeconfig(options), { mode: 0o600 });
};
