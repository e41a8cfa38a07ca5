import type { PaymentSummary } from "./payment-schemas.ts";

const columns = [
  "id",
  "createdAt",
  "settledAt",
  "offerName",
  "chain",
  "network",
  "testnet",
  "asset",
  "amount",
  "payer",
  "payTo",
  "state",
  "reason",
  "requestMethod",
  "requestPath",
  "upstreamStatus",
  "latencyMs",
  "txHash",
] as const satisfies readonly (keyof PaymentSummary)[];

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString() : String(value);
  // Quote when needed; a leading =,+,-,@ is neutralised so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The CSV header line (RFC 4180, CRLF-terminated); amounts are atomic units. */
export function renderPaymentsCsvHeader(): string {
  return `${columns.join(",")}\r\n`;
}

/** One payment as a CSV line (CRLF-terminated). */
export function renderPaymentCsvLine(payment: Pick<PaymentSummary, (typeof columns)[number]>): string {
  return `${columns.map((c) => cell(payment[c])).join(",")}\r\n`;
}
