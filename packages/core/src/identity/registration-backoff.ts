/** Delay before retrying a failed registration: 15 s doubling per attempt, capped at 15 minutes. */
export function registrationBackoffMs(attempts: number): number {
  const n = Math.max(1, attempts);
  return Math.min(15 * 60_000, 15_000 * 2 ** Math.min(n - 1, 10));
}

/** How often an off-chain-only chain is looked at again (a signer may have been funded meanwhile). */
export const offChainRecheckMs = 60_000;
