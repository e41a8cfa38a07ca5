import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small round-robin HTTP load balancer for replica tests and `bench:replicas`: each request goes to the
 * next backend; a connection error before any response (a killed replica) is retried on the next one, and
 * that backend is skipped for a second. Bodies are buffered so a retry can resend them.
 */
export async function startRoundRobinBalancer(backends: string[]): Promise<{
  url: string;
  /** Requests retried on another backend after a connection error. */
  retries(): number;
  close(): Promise<void>;
}> {
  const targets = backends.map((url) => ({ url: new URL(url), downUntil: 0 }));
  let next = 0;
  let retried = 0;

  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => resolve(Buffer.concat(chunks)));
      req.on("error", reject);
    });

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req).catch(() => Buffer.alloc(0));
    const attempt = (tries: number): void => {
      const now = Date.now();
      let target = targets[next++ % targets.length];
      for (let i = 0; i < targets.length && target && target.downUntil > now; i++) {
        target = targets[next++ % targets.length];
      }
      if (!target) return void res.writeHead(502).end();
      const chosen = target;
      const upstream = request(
        {
          host: chosen.url.hostname,
          port: chosen.url.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: chosen.url.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => {
        if (res.headersSent) return void res.destroy();
        chosen.downUntil = Date.now() + 1_000;
        if (tries + 1 >= targets.length * 2) return void res.writeHead(502).end();
        retried += 1;
        attempt(tries + 1);
      });
      upstream.end(body);
    };
    attempt(0);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    retries: () => retried,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `total` calls of `call` with at most `concurrency` at once; returns each call's status and latency. */
export async function runConcurrent(
  total: number,
  concurrency: number,
  call: (index: number) => Promise<number>,
): Promise<{ status: number; ms: number }[]> {
  const results: { status: number; ms: number }[] = [];
  let started = 0;
  const worker = async () => {
    while (started < total) {
      const index = started++;
      const t0 = performance.now();
      const status = await call(index).catch(() => 0);
      results[index] = { status, ms: performance.now() - t0 };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return results;
}
