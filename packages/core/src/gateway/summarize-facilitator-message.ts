const maxLength = 160;

/**
 * A facilitator's message as a buyer may see it: its first line, without the RPC call details, request
 * arguments or library versions a viem error carries (they describe the seller's setup), at most 160
 * characters. The x402 reason code next to it says what happened; the full error stays in the seller's log.
 */
export function summarizeFacilitatorMessage(message: string | null | undefined): string | undefined {
  if (!message) return undefined;
  const first = message.split(/\r?\n/)[0]?.trim() ?? "";
  const cut =
    first.split(
      /\s+(?:Request Arguments|Details|Docs|Version|URL|Request body|Raw Call Arguments|Contract Call):/,
    )[0] ?? first;
  const text = cut.trim();
  if (!text) return undefined;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
