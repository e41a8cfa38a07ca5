import type { ErrorBody } from "@tollgate/core";
import { TRPCClientError } from "@trpc/client";

/** What the UI shows for a failed call: the server's message, plus its hint and status when known. */
export interface DescribedError {
  message: string;
  hint?: string;
  /** The input field the server named (dotted path, e.g. `payment.price`). */
  field?: string;
  code?: ErrorBody["code"];
  httpStatus?: number;
}

interface TollgateErrorData {
  tollgate?: Partial<ErrorBody>;
  httpStatus?: number;
}

/** Turns anything a tRPC call can throw into a message for people, never a stack trace. */
export function describeError(error: unknown): DescribedError {
  if (error instanceof TRPCClientError) {
    const data = error.data as TollgateErrorData | undefined;
    const body = data?.tollgate;
    if (body?.message) {
      const described: DescribedError = { message: body.message };
      if (body.hint) described.hint = body.hint;
      if (body.field) described.field = body.field;
      if (body.code) described.code = body.code;
      if (data?.httpStatus !== undefined) described.httpStatus = data.httpStatus;
      return described;
    }
    if (!data) {
      // No tRPC error envelope: the request never reached the tRPC endpoint (server down, or the
      // pages are served without `tollgate serve` in front of them).
      return {
        message: "Could not reach the Tollgate API.",
        hint: "Check that tollgate serve is running and serving this page; the admin API answers on /trpc.",
      };
    }
    return { message: error.message };
  }
  if (error instanceof Error) return { message: error.message };
  return { message: "Something went wrong." };
}

/** True when the server refused the credentials (missing, wrong or revoked token). */
export function isUnauthenticated(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const data = error.data as TollgateErrorData | undefined;
  return data?.tollgate?.code === "UNAUTHENTICATED" || data?.httpStatus === 401;
}
