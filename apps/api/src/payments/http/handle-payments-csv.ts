import type { IncomingMessage, ServerResponse } from "node:http";
import { once } from "node:events";
import {
  type PaymentsService,
  paymentFilterSchema,
  renderPaymentCsvLine,
  renderPaymentsCsvHeader,
} from "@tollgate/core/payments/index";
import type { ApiTokenRepository } from "@tollgate/db";
import { type SessionResolver, resolveCaller } from "../../http/caller.ts";
import { sendJson } from "../../http/send.ts";

/** The path of the streaming CSV export. */
export const paymentsCsvPath = "/admin/api/payments.csv";

/**
 * `GET /admin/api/payments.csv?offer=&state=&chain=&payer=&from=&to=`: every payment the filters match,
 * newest first, written a page at a time and only as fast as the client reads (memory stays constant
 * however many rows there are). A read or admin token, or an admin session.
 */
export async function handlePaymentsCsv({
  req,
  res,
  payments,
  tokens,
  sessions,
}: {
  req: IncomingMessage;
  res: ServerResponse;
  payments: Pick<PaymentsService, "stream">;
  tokens: ApiTokenRepository;
  sessions: SessionResolver;
}): Promise<void> {
  if (req.method !== "GET") {
    return sendJson(res, 405, { code: "VALIDATION_FAILED", message: `Use GET ${paymentsCsvPath}` }, { allow: "GET" });
  }
  const caller = await resolveCaller(req, tokens, sessions);
  if (caller.kind === "anonymous") {
    return sendJson(res, 401, { code: "UNAUTHENTICATED", message: "Sign in, or send a read or admin API token" });
  }
  const params = new URL(req.url ?? "/", "http://localhost").searchParams;
  const parsed = paymentFilterSchema.strict().safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || undefined;
    return sendJson(res, 400, {
      code: "VALIDATION_FAILED",
      message: issue ? `${field ? `${field}: ` : ""}${issue.message}` : "Invalid filter",
      ...(field ? { field } : {}),
    });
  }
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  res.writeHead(200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="tollgate-payments-${stamp}.csv"`,
    "cache-control": "no-store",
  });
  const closed = new AbortController();
  res.once("close", () => closed.abort());
  res.write(renderPaymentsCsvHeader());
  // A page of lines per write: fewer syscalls than a line at a time, still bounded by the page size.
  let batch = "";
  for await (const payment of payments.stream(parsed.data)) {
    if (closed.signal.aborted) return;
    batch += renderPaymentCsvLine(payment);
    if (batch.length < 64 * 1024) continue;
    const flushed = res.write(batch);
    batch = "";
    if (!flushed) await once(res, "drain", { signal: closed.signal }).catch(() => {});
  }
  res.end(batch);
}
