import { existsSync, readFileSync } from "node:fs";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../trpc/router.ts";
import { CliError, exitCodes } from "./cli-error.ts";

export interface ConnectionOptions {
  url: string;
  token?: string | undefined;
  tokenFile: string;
}

/** The token to send: --token, TOLLGATE_TOKEN, else the local owner token file for a loopback server. */
export function resolveToken(options: ConnectionOptions): string | undefined {
  if (options.token) return options.token;
  const host = new URL(options.url).hostname;
  const local = host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  if (local && existsSync(options.tokenFile)) return readFileSync(options.tokenFile, "utf8").trim() || undefined;
  return undefined;
}

/** A typed tRPC client for the server at `url`. */
export function createApiClient(options: ConnectionOptions) {
  const token = resolveToken(options);
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/$/, "")}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  });
}

export type ApiClient = ReturnType<typeof createApiClient>;

interface TollgateErrorData {
  tollgate?: { code?: string; message?: string; hint?: string; field?: string };
  httpStatus?: number;
}

/** Turns a failed call into a CliError with the exit code of SPEC §14. */
export function toCliError(error: unknown, url: string): CliError {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as TollgateErrorData;
    const detail = data.tollgate;
    if (detail?.code) {
      return new CliError(detail.message ?? error.message, exitCodes.refused, {
        code: detail.code,
        ...(detail.field ? { field: detail.field } : {}),
        ...(detail.hint ? { hint: detail.hint } : {}),
      });
    }
    const cause = (error.cause ?? {}) as { cause?: { code?: string }; code?: string; message?: string };
    const netCode = cause.cause?.code ?? cause.code;
    if (netCode || /fetch failed|ECONNREFUSED/.test(String(cause.message ?? error.message))) {
      return new CliError(
        `cannot reach the Tollgate server at ${url} (${netCode ?? "connection failed"}); is \`tollgate serve\` running?`,
        exitCodes.unreachable,
        {
          code: "UNREACHABLE",
        },
      );
    }
    return new CliError(error.message, exitCodes.refused);
  }
  return new CliError(error instanceof Error ? error.message : String(error), exitCodes.refused);
}
