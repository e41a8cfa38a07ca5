import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startKubeTestServer } from "./index.ts";

/** `pnpm kube:test-server [--port P] [--kubeconfig FILE]`: runs the test API server until stopped. */
const main = async () => {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      kubeconfig: { type: "string" },
      token: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write("usage: pnpm kube:test-server [--port P] [--kubeconfig FILE] [--token T]\n");
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port: expected a port number, got ${JSON.stringify(values.port)}\n`);
    process.exit(2);
  }
  const kubeconfig = values.kubeconfig ?? join(tmpdir(), `kube-test-server-${process.pid}`, "kubeconfig");
  const started = await startKubeTestServer({ port, kubeconfig, ...(values.token ? { token: values.token } : {}) });
  process.stderr.write(`kube test server listening on ${started.url}\n`);
  process.stdout.write(`${kubeconfig}\n`);
  const stop = () => {
    started.stop().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
};

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
