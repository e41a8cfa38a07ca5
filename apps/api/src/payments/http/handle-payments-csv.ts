import type { IncomingMessage, ServerResponse } from "node:http";
import { once } from "node:events";
import { type PaymentsService, paymentFilterSchema, renderPaymentsCsvHeader } from "@tollgate/core/payments/index";
import type { ApiTokenRepository } from "@tollgate/db";
import { type SessionResolver, resolveCaller } from "../../http/caller.ts";
import { sendJson } from "../../http/send.ts";

/** The path of the streaming CSV export. */
export const paymentsCsvPath = "/admin/api/payments.csv";

/**
 * `GET /admin/api/payments.csv?offer=&state=&chain=&payer=&from=&to=`: every payment the filters match,
 * newest first: pages of lines formatted by Postgres, each written only once the client has read the
 * previous one (memory stays constant however many rows there are); a disconnect stops the export. A read or admin token, or an admin session.
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
  payments: Pick<PaymentsService, "streamCsv">;
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
  // Leaving the loop (a disconnect) ends the generator, so no further page is queried.
  for await (const chunk of payments.streamCsv(parsed.data)) {
    if (closed.signal.aborted) return;
    if (!res.write(chunk)) await once(res, "drain", { signal: closed.signal }).catch(() => {});
    if (closed.signal.aborted) return;
  }
  res.end();
}
