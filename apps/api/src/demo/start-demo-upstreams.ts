import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleDemoHello } from "./demo-hello-upstream.ts";
import { handleDemoInference } from "./demo-inference-upstream.ts";

/** The demo upstreams and the `demo://` names offers store for them. */
export const demoUpstreamNames = ["hello", "inference"] as const;
export type DemoUpstreamName = (typeof demoUpstreamNames)[number];

export interface DemoUpstreams {
  /** Current loopback URL of each demo upstream (ports are chosen at each start). */
  urls: Record<DemoUpstreamName, string>;
  /** `demo://<name>` → its current URL; other URLs pass through; an unknown demo name → null. */
  resolve(url: string): string | null;
  stop(): Promise<void>;
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<Server> {
  const server = createServer((req, res) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/**
 * Starts the two loopback demo upstreams on free ports. Offers store `demo://hello` and `demo://inference`
 * in the ledger, and the reconciler resolves them here at run time, so a new port at each start needs no
 * ledger write.
 */
export async function startDemoUpstreams(): Promise<DemoUpstreams> {
  const servers: Record<DemoUpstreamName, Server> = {
    hello: await listen(handleDemoHello),
    inference: await listen(handleDemoInference),
  };
  const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urls = { hello: urlOf(servers.hello), inference: urlOf(servers.inference) };
  return {
    urls,
    resolve(url) {
      if (!url.startsWith("demo://")) return url;
      const name = url.slice("demo://".length).replace(/\/+$/, "");
      return (urls as Record<string, string>)[name] ?? null;
    },
    async stop() {
      await Promise.all(
        Object.values(servers).map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
