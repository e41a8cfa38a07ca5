/** The closed table of error codes: each maps once to an HTTP status and a tRPC code. */
export const errorCodes = {
  VALIDATION_FAILED: { http: 400, trpc: "BAD_REQUEST" },
  INVALID_PAYMENT_HEADER: { http: 400, trpc: "BAD_REQUEST" },
  UNAUTHENTICATED: { http: 401, trpc: "UNAUTHORIZED" },
  FORBIDDEN: { http: 403, trpc: "FORBIDDEN" },
  NOT_FOUND: { http: 404, trpc: "NOT_FOUND" },
  CONFLICT: { http: 409, trpc: "CONFLICT" },
  PAYMENT_REQUIRED: { http: 402, trpc: "BAD_REQUEST" },
  METHOD_NOT_ALLOWED: { http: 405, trpc: "METHOD_NOT_SUPPORTED" },
  PRECONDITION_FAILED: { http: 412, trpc: "PRECONDITION_FAILED" },
  PAYLOAD_TOO_LARGE: { http: 413, trpc: "PAYLOAD_TOO_LARGE" },
  TOO_MANY_REQUESTS: { http: 429, trpc: "TOO_MANY_REQUESTS" },
  // A bundle that is hostile, malformed or sealed with another passphrase: nothing was changed.
  IMPORT_REFUSED: { http: 400, trpc: "BAD_REQUEST" },
  FACILITATOR_UNAVAILABLE: { http: 503, trpc: "SERVICE_UNAVAILABLE" },
  NOT_READY: { http: 503, trpc: "SERVICE_UNAVAILABLE" },
  CHAIN_ERROR: { http: 502, trpc: "BAD_GATEWAY" },
  INTERNAL: { http: 500, trpc: "INTERNAL_SERVER_ERROR" },
} as const satisfies Record<string, { http: number; trpc: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** The shape every client sees for an error; never a stack trace. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  hint?: string;
  field?: string;
}

/** A domain error with a stable code, safe to show to clients. */
export class TollgateError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly field: string | undefined;
  /** When to try again (the `Retry-After` header of a 429 or 503). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; field?: string; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TollgateError";
    this.code = code;
    this.hint = options.hint;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The client-facing body of this error. */
  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.hint !== undefined) body.hint = this.hint;
    if (this.field !== undefined) body.field = this.field;
    return body;
  }
}

/** HTTP status for an error code. */
export function httpStatusOf(code: ErrorCode): number {
  return errorCodes[code].http;
}

/** The `Retry-After` seconds of an answer: the error's own, else 1 s for a 429 (every 429 says when to retry). */
export function retryAfterOf(error: TollgateError): number | undefined {
  return error.retryAfterSeconds ?? (errorCodes[error.code].http === 429 ? 1 : undefined);
}

/** Turns any thrown value into a client-safe body (unknown errors become INTERNAL without details). */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof TollgateError) return error.toBody();
  return { code: "INTERNAL", message: "Internal error" };
}
