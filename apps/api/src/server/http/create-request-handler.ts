import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiTokenRepository } from "@tollgate/db";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import type { Logger } from "../../logger.ts";
import { appRouter } from "../../trpc/router.ts";
import type { AppServices } from "../app-services.ts";
import { resolveCaller } from "./resolve-caller.ts";
import { sendJson } from "./send.ts";

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** What the request handler needs once start-up has finished; null while starting. */
export interface ReadyParts {
  services: AppServices;
  tokens: ApiTokenRepository;
  next: NextHandler;
}

/** The one origin: health, tRPC, and the Next.js app for everything else. */
export function createRequestHandler(options: { getReady: () => ReadyParts | null; log: Logger }) {
  const { getReady, log } = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? "/";
    const pathname = url.split("?")[0] ?? "/";
    try {
      if (pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
      const ready = getReady();
      if (pathname === "/readyz") {
        return ready ? sendJson(res, 200, { status: "ready" }) : sendJson(res, 503, { status: "starting" });
      }
      if (!ready) {
        return sendJson(
          res,
          503,
          { code: "NOT_READY", message: "Tollgate is starting; try again in a moment" },
          { "retry-after": "2" },
        );
      }
      if (pathname === "/trpc" || pathname.startsWith("/trpc/")) {
        const path = pathname.slice("/trpc/".length);
        return await nodeHTTPRequestHandler({
          router: appRouter,
          req,
          res,
          path,
          createContext: async () => ({ caller: await resolveCaller(req, ready.tokens), services: ready.services }),
          onError: ({ error, path: procedure }) => {
            if (error.code === "INTERNAL_SERVER_ERROR")
              log.error({ err: error.cause ?? error, procedure }, "tRPC procedure failed");
          },
        });
      }
      return await ready.next(req, res);
    } catch (error) {
      log.error({ err: error, url }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { code: "INTERNAL", message: "Internal error" });
      else res.end();
    }
  };
}
