import type { IncomingMessage, ServerResponse } from "node:http";
import { type ErrorCode, errorCodes, TollgateError } from "@tollgate/core";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { type Caller, requireCaller } from "../http/caller.ts";
import type { AppServices } from "../services/app-services.ts";

export type { Caller };

export interface TrpcContext {
  caller: Caller;
  services: AppServices;
  /** The HTTP exchange, when the call came over HTTP (auth sets and clears the session cookie). */
  http?: {
    req: IncomingMessage;
    res: ServerResponse;
    sessionToken: string | null;
    /** The client's address (behind a trusted proxy, from X-Forwarded-For): the login brake's key. */
    clientAddress: string;
  };
}

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    let code: ErrorCode = "INTERNAL";
    let hint: string | undefined;
    let field: string | undefined;
    let message = error.message;
    if (cause instanceof TollgateError) {
      code = cause.code;
      hint = cause.hint;
      field = cause.field;
    } else if (cause instanceof ZodError) {
      code = "VALIDATION_FAILED";
      const issue = cause.issues[0];
      field = issue?.path.join(".") || undefined;
      message = issue ? `${field ? `${field}: ` : ""}${issue.message}` : "Invalid input";
    } else if (error.code === "UNAUTHORIZED") {
      code = "UNAUTHENTICATED";
    } else if (error.code === "FORBIDDEN") {
      code = "FORBIDDEN";
    } else if (error.code === "NOT_FOUND") {
      code = "NOT_FOUND";
    } else if (error.code === "BAD_REQUEST") {
      code = "VALIDATION_FAILED";
    }
    if (code === "INTERNAL") message = "Internal error";
    return {
      message,
      code: shape.code,
      data: { tollgate: { code, message, hint, field }, httpStatus: shape.data.httpStatus },
    };
  },
});

/** Maps a domain error to a TRPCError with the code from the one error table. */
function toTrpcError(error: unknown): unknown {
  if (error instanceof TollgateError) {
    return new TRPCError({ code: errorCodes[error.code].trpc, message: error.message, cause: error });
  }
  return error;
}

const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTrpcError(result.error.cause);
    if (mapped instanceof TRPCError) throw mapped;
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Anyone, including anonymous buyers. */
export const publicProcedure = t.procedure.use(mapDomainErrors);

/** A `read` or `admin` token, or an admin session. */
export const readProcedure = publicProcedure.use(({ ctx, next }) => {
  const caller = authorize(ctx.caller, "read");
  return next({ ctx: { ...ctx, caller } });
});

/** An `admin` token or an admin session. */
export const adminProcedure = readProcedure.use(({ ctx, next }) => {
  authorize(ctx.caller, "admin");
  return next({ ctx });
});

/** `requireCaller` with its refusal as the TRPCError the table maps it to. */
function authorize(caller: Caller, scope: "read" | "admin") {
  try {
    return requireCaller(caller, scope);
  } catch (error) {
    throw toTrpcError(error);
  }
}
