import { TollgateError } from "../errors/error-codes.ts";

/** What to do with digits beyond the asset's decimals: refuse them, or round half up. */
export type ExcessDecimals = "refuse" | "round-half-up";

const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?$/;
const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_INPUT_LENGTH = 100;

/**
 * Converts a positive decimal string in token units (e.g. "0.001") to atomic units as a decimal string
 * (e.g. "1000" for 6 decimals), with BigInt arithmetic only. Refuses empty, negative, zero and malformed
 * amounts; digits beyond `decimals` are refused unless `excessDecimals` is "round-half-up".
 */
export function toAtomicAmount({
  amount,
  decimals,
  excessDecimals = "refuse",
  field = "amount",
}: {
  amount: string;
  decimals: number;
  excessDecimals?: ExcessDecimals;
  field?: string;
}): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36) {
    throw new RangeError(`decimals must be an integer between 0 and 36, got ${decimals}`);
  }
  const refuse = (message: string, hint?: string): never => {
    throw new TollgateError("VALIDATION_FAILED", message, hint === undefined ? { field } : { field, hint });
  };
  if (amount.length === 0) refuse("Amount is empty", 'Give a positive decimal such as "0.01"');
  if (amount.length > MAX_INPUT_LENGTH) refuse("Amount is too long");
  if (amount.startsWith("-")) refuse(`Amount must be positive, got "${amount}"`);
  const match = DECIMAL_PATTERN.exec(amount);
  if (!match) refuse(`Amount "${amount}" is not a decimal number`, 'Use digits with an optional point, e.g. "0.01"');
  const whole = match?.[1] ?? "0";
  const fraction = match?.[2] ?? "";

  let atomic = BigInt(whole) * 10n ** BigInt(decimals);
  if (fraction.length <= decimals) {
    atomic += BigInt(fraction.padEnd(decimals, "0") || "0");
  } else {
    const kept = fraction.slice(0, decimals);
    const dropped = fraction.slice(decimals);
    if (excessDecimals === "refuse" && /[1-9]/.test(dropped)) {
      refuse(
        `Amount "${amount}" has more than ${decimals} decimal places`,
        `This asset has ${decimals} decimals; the smallest amount is ${formatSmallest(decimals)}`,
      );
    }
    atomic += BigInt(kept || "0");
    // Round half up: the first dropped digit decides.
    if (excessDecimals === "round-half-up" && dropped.charCodeAt(0) - 48 >= 5) atomic += 1n;
  }
  if (atomic === 0n) {
    refuse(
      `Amount "${amount}" is zero`,
      decimals > 0 ? `The smallest amount is ${formatSmallest(decimals)}` : "The smallest amount is 1",
    );
  }
  if (atomic > MAX_UINT256) refuse(`Amount "${amount}" is too large`);
  return atomic.toString();
}

function formatSmallest(decimals: number): string {
  return decimals === 0 ? "1" : `0.${"0".repeat(decimals - 1)}1`;
}
