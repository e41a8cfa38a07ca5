/** Atomic units (decimal string) as token units with trailing zeros removed: ("1230000", 6) → "1.23". */
export function formatAtomicAmount({ amount, decimals }: { amount: string; decimals: number }): string {
  const value = BigInt(amount);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}
