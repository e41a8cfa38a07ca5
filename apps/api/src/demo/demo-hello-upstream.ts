import type { IncomingMessage, ServerResponse } from "node:http";

/** The demo `hello` JSON API: `/health`, and a greeting that echoes the method and path for anything else. */
export async function handleDemoHello(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  req.resume();
  res.writeHead(200, { "content-type": "application/json" });
  if (path === "/health") {
    res.end(JSON.stringify({ status: "ok" }));
    return;
  }
  res.end(JSON.stringify({ message: "Hello from Tollgate!", method: req.method, path }));
}
