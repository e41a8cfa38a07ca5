import type { IncomingMessage, ServerResponse } from "node:http";
import { httpStatusOf, retryAfterOf, type RouteTable, TollgateError } from "@tollgate/core";
import type { ApiTokenRepository } from "@tollgate/db";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import type { BackupHandler } from "../../bundle/http/handle-backup-request.ts";
import type { Gateway } from "../../gateway/create-gateway.ts";
import type { Logger } from "../../logger.ts";
import type { Metrics } from "../../metrics/create-metrics.ts";
import { handleMetricsRequest } from "../../metrics/handle-metrics-request.ts";
import { handlePaymentsCsv, paymentsCsvPath } from "../../payments/http/handle-payments-csv.ts";
import { maxJsonBodyBytes, refuseDeclaredBodyOver, stopReadingBody } from "../../security/body-limit.ts";
import { isSafeMethod, isSameOriginRequest } from "../../security/same-origin.ts";
import { appRouter } from "../../trpc/router.ts";
import type { AppServices } from "../../services/app-services.ts";
import { isSubscriptionPath } from "./is-subscription-path.ts";
import { resolveCaller } from "../../http/caller.ts";
import { sendJson } from "../../http/send.ts";
import { readSessionCookie } from "../../http/session-cookie.ts";

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** What the request handler needs once start-up has finished; null while starting. */
export interface ReadyParts {
  services: AppServices;
  tokens: ApiTokenRepository;
  next: NextHandler;
  /** Published offer routes (written by the reconciler); the gateway reads them. */
  routes?: RouteTable;
  /** The public discovery documents and their schemas (`/api/services.json`, `/skill.md`, …). */
  discovery?: { handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> };
  /** The x402 gateway for `/services/...` and every published route. */
  gateway?: Gateway;
  /** Backup download and restore upload for the admin UI (`/admin/api/export`, `/admin/api/import`). */
  backup?: BackupHandler;
  /** This replica and the leader among the servers on one ledger (SPEC §15), shown by `/readyz`. */
  replication?: () => { replica: string; role: "leader" | "follower"; leader: string | null };
}

/** The one origin: health, tRPC, and the Next.js app for everything else. */
export function createRequestHandler(options: {
  getReady: () => ReadyParts | null;
  log: Logger;
  /** GET /metrics: the registry, and whether it is public (TOLLGATE_METRICS_PUBLIC) or needs a read token. */
  metrics?: { metrics: Metrics; isPublic: boolean };
  /** The client's address for the login brake (trusted proxies); the socket's peer when absent. */
  resolveClientAddress?: (req: IncomingMessage) => string;
  /** Drops X-Forwarded-* and Forwarded unless the peer is a trusted proxy (TOLLGATE_TRUSTED_PROXIES). */
  filterProxyHeaders?: (req: IncomingMessage) => void;
}) {
  const { getReady, log } = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? "/";
    const pathname = url.split("?")[0] ?? "/";
    options.filterProxyHeaders?.(req);
    // Every answer is what its Content-Type says (skill.md is never sniffed into HTML).
    res.setHeader("x-content-type-options", "nosniff");
    try {
      if (pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
      const ready = getReady();
      if (pathname === "/metrics" && options.metrics) {
        const { metrics, isPublic } = options.metrics;
        return await handleMetricsRequest({ req, res, metrics, isPublic, tokens: ready?.tokens ?? null });
      }
      if (pathname === "/readyz") {
        return ready
          ? sendJson(res, 200, { status: "ready", ...ready.replication?.() })
          : sendJson(res, 503, { status: "starting" });
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
        if (req.method !== "GET" && req.method !== "POST") {
          return sendJson(
            res,
            405,
            { code: "METHOD_NOT_ALLOWED", message: "tRPC answers GET and POST" },
            { allow: "GET, POST" },
          );
        }
        if (refuseDeclaredBodyOver(req, res, maxJsonBodyBytes)) return;
        const path = pathname.slice("/trpc/".length);
        const caller = await resolveCaller(req, ready.tokens, ready.services.auth);
        if (caller.kind === "session" && !isSafeMethod(req.method) && !isSameOriginRequest(req)) {
          return sendJson(res, 403, {
            code: "FORBIDDEN",
            message: "Cross-origin request refused: a signed-in browser must send a same-origin Origin",
          });
        }
        if (caller.kind === "anonymous" && isSubscriptionPath(path)) {
          return sendJson(res, 401, {
            code: "UNAUTHENTICATED",
            message: "Sign in to receive live updates (the session cookie authenticates the stream)",
          });
        }
        await nodeHTTPRequestHandler({
          router: appRouter,
          req,
          res,
          path,
          maxBodySize: maxJsonBodyBytes,
          createContext: async () => ({
            caller,
            services: ready.services,
            http: {
              req,
              res,
              sessionToken: readSessionCookie(req),
              clientAddress: options.resolveClientAddress?.(req) ?? req.socket.remoteAddress ?? "unknown",
            },
          }),
          // Every 429 (the login brake) says when to try again.
          responseMeta: ({ errors }) => {
            for (const error of errors) {
              const retryAfter = error.cause instanceof TollgateError ? retryAfterOf(error.cause) : undefined;
              if (retryAfter !== undefined) return { headers: { "retry-after": String(retryAfter) } };
              if (error.code === "TOO_MANY_REQUESTS") return { headers: { "retry-after": "1" } };
            }
            return {};
          },
          onError: ({ error, path: procedure }) => {
            if (error.code === "INTERNAL_SERVER_ERROR")
              log.error({ err: error.cause ?? error, procedure }, "tRPC procedure failed");
          },
        });
        // A body cut off at the size limit is not read any further.
        return stopReadingBody(req);
      }
      if (pathname === paymentsCsvPath) {
        const { payments, auth } = ready.services;
        return await handlePaymentsCsv({ req, res, payments, tokens: ready.tokens, sessions: auth });
      }
      if (ready.backup && (await ready.backup.handle(req, res, pathname))) return;
      if (ready.discovery && (await ready.discovery.handle(req, res, pathname))) return;
      if (ready.gateway?.handles(pathname)) return await ready.gateway.handle(req, res);
      if (refuseDeclaredBodyOver(req, res, maxJsonBodyBytes)) return;
      return await ready.next(req, res);
    } catch (error) {
      if (error instanceof TollgateError && !res.headersSent) {
        const retryAfter = retryAfterOf(error);
        return sendJson(
          res,
          httpStatusOf(error.code),
          error.toBody(),
          retryAfter === undefined ? {} : { "retry-after": String(retryAfter) },
        );
      }
      log.error({ err: error, url }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { code: "INTERNAL", message: "Internal error" });
      else res.end();
    }
  };
}
