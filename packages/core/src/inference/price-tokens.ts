/** Atomic units for `tokens` at a per-million-token price in atomic units: ceil(tokens × price / 10^6) (pure). */
export function priceTokens({ tokens, pricePerMtok }: { tokens: number; pricePerMtok: bigint }): bigint {
  const scaled = BigInt(tokens) * pricePerMtok;
  return (scaled + 999_999n) / 1_000_000n;
}

/**
 * The most tokens one request may use and what it may cost (pure): the prompt estimate plus `max_tokens`
 * (the model's max tokens when unset), capped by the model's max tokens; never less than 1 atomic unit.
 */
export function computeUptoMaximum({
  promptEstimate,
  maxTokens,
  modelMaxTokens,
  pricePerMtok,
}: {
  promptEstimate: number;
  maxTokens: number | null;
  modelMaxTokens: number;
  pricePerMtok: bigint;
}): { tokens: number; amount: bigint } {
  const tokens = Math.min(promptEstimate + (maxTokens ?? modelMaxTokens), modelMaxTokens);
  const amount = priceTokens({ tokens, pricePerMtok });
  return { tokens, amount: amount > 0n ? amount : 1n };
}

/**
 * What an `upto` payment settles (pure): ceil(total tokens × price), never more than authorized. Without a
 * reported usage the provider gave no count to charge by, so the authorized maximum is settled.
 */
export function computeSettledAmount({
  totalTokens,
  pricePerMtok,
  maximum,
}: {
  totalTokens: number | null;
  pricePerMtok: bigint;
  maximum: bigint;
}): bigint {
  if (totalTokens === null) return maximum;
  const amount = priceTokens({ tokens: totalTokens, pricePerMtok });
  return amount < maximum ? amount : maximum;
}
