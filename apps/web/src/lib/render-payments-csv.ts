import type { AdminPayment } from "./admin-types.ts";

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
] as const;

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString() : String(value);
  // Quote when needed; a leading =,+,-,@ is neutralised so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Payments as CSV (RFC 4180), amounts in atomic units. */
export function renderPaymentsCsv(payments: AdminPayment[]): string {
  const lines = [columns.join(",")];
  for (const p of payments) lines.push(columns.map((c) => cell(p[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
