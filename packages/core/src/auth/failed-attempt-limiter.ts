/**
 * Counts failed attempts per key in a sliding window; once a key has `maxFailures` failures in
 * `windowMs`, further attempts are refused until the oldest failure leaves the window. In memory:
 * a restart forgets (acceptable for a single-box console; scrypt already makes guesses slow).
 */
export function createFailedAttemptLimiter(options: { maxFailures: number; windowMs: number; clock: () => Date }) {
  const failures = new Map<string, number[]>();
  const recent = (key: string) => {
    const since = options.clock().getTime() - options.windowMs;
    const kept = (failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length) failures.set(key, kept);
    else failures.delete(key);
    return kept;
  };
  return {
    /** Seconds until `key` may try again, or 0 when it may try now. */
    retryAfterSeconds(key: string): number {
      const kept = recent(key);
      if (kept.length < options.maxFailures) return 0;
      const oldest = kept[0] ?? options.clock().getTime();
      return Math.max(1, Math.ceil((oldest + options.windowMs - options.clock().getTime()) / 1000));
    },
    /** Records a failed attempt for `key`. */
    recordFailure(key: string): void {
      failures.set(key, [...recent(key), options.clock().getTime()]);
    },
    /** Forgets `key` (after a success). */
    reset(key: string): void {
      failures.delete(key);
    },
  };
}
