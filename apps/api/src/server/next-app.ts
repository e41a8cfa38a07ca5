import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** apps/web, where the storefront and admin UI are built. */
export const webAppDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "web");

/** Loads the production build of the web app and returns its request handler. */
export async function prepareNextApp(options: { hostname: string; port: number }) {
  if (!existsSync(join(webAppDir, ".next", "BUILD_ID"))) {
    throw new Error(`the web app has no production build in ${join(webAppDir, ".next")}: run \`pnpm build\` first`);
  }
  // Loaded here, not at the top: a server with the web app off (TOLLGATE_WEB=off, every CLI command)
  // does not read Next.js and its dependencies at each start.
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: webAppDir, hostname: options.hostname, port: options.port, quiet: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  return {
    handle: (req: IncomingMessage, res: ServerResponse) => handle(req, res),
    close: () => app.close(),
  };
}
