/** A login attempt that may go ahead: wait `delayMs`, check the password, then say how it went (once). */
export interface LoginTicket {
  ok: true;
  /** The account's backoff: how long to wait before checking the password (bounded by `maxDelayMs`). */
  delayMs: number;
  /** The password was wrong: counts against the address and the account. */
  fail(): void;
  /** The password was right: the address and the account start afresh. */
  succeed(): void;
  /** The check could not run (e.g. the ledger was down): the attempt counts for nothing. */
  release(): void;
}

export type LoginReservation = LoginTicket | { ok: false; retryAfterSeconds: number };

export interface LoginBrakeOptions {
  /** Per client address: at most this many attempts in flight or failed within the window. */
  perAddress?: { maxAttempts: number; windowMs: number };
  /** Per account: past `freeFailures` recent failures, every attempt waits base × 2^n, at most `maxDelayMs`. */
  account?: { freeFailures: number; baseDelayMs: number; maxDelayMs: number; windowMs: number };
  clock?: () => Date;
}

/**
 * Attempts per key and fixed window counted in the ledger, so replicas on one ledger share the login brake
 * (SPEC §15): each call is one atomic statement, so concurrent attempts on different replicas cannot all pass.
 * The per-address limit is one window per key; the account's failures are one-minute windows summed over
 * the backoff's window.
 */
export interface SharedLoginCounter {
  /** Counts one attempt for `key` in the window starting at `windowStart`; the count after it. */
  hit(key: string, windowStart: Date): Promise<number>;
  /** The attempts counted for `key` in the windows starting after `since`. */
  count(key: string, since: Date): Promise<number>;
  /** Takes back an attempt that counted for nothing (the check could not run). */
  undo(key: string, windowStart: Date): Promise<void>;
  /** The right password: `key` starts afresh. */
  clear(key: string): Promise<void>;
}

/** Per client address: 10 attempts a minute. */
export const defaultPerAddress = { maxAttempts: 10, windowMs: 60_000 } as const;

/** Per account: 5 free failures in 15 minutes, then 250 ms doubling up to 4 s. */
export const defaultAccountBackoff = {
  freeFailures: 5,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  windowMs: 15 * 60_000,
} as const;

/** The account's backoff after `failures` recent failures: base × 2^n past the free ones, at most the cap. */
export function accountBackoffMs(failures: number, account: NonNullable<LoginBrakeOptions["account"]>): number {
  const excess = failures - account.freeFailures;
  if (excess <= 0) return 0;
  return Math.min(account.maxDelayMs, account.baseDelayMs * 2 ** Math.min(excess - 1, 30));
}

type AddressState = { failures: number[]; inFlight: number };

// Past this many tracked addresses, stale ones are swept on the next reservation.
const sweepThreshold = 10_000;

/**
 * The online guessing brake for the owner login (SPEC §11). An attempt is reserved before the slow password
 * check, so concurrent guesses from one address cannot all slip past the limit; the account's backoff only
 * delays (never refuses) an attempt, so other people's failures cannot lock the owner out for longer than
 * `maxDelayMs`. In memory: a restart forgets (acceptable for a single box; scrypt keeps guesses slow). Replicas
 * on one ledger also count both in the ledger (`SharedLoginCounter`, used by the admin auth service).
 */
export function createLoginBrake(options: LoginBrakeOptions = {}) {
  const perAddress = options.perAddress ?? defaultPerAddress;
  const account = options.account ?? defaultAccountBackoff;
  const clock = options.clock ?? (() => new Date());
  const addresses = new Map<string, AddressState>();
  let accountFailures: number[] = [];

  const now = () => clock().getTime();

  function stateOf(address: string): AddressState {
    const since = now() - perAddress.windowMs;
    const state = addresses.get(address) ?? { failures: [], inFlight: 0 };
    state.failures = state.failures.filter((t) => t > since);
    addresses.set(address, state);
    return state;
  }

  function forgetIfIdle(address: string, state: AddressState): void {
    if (state.inFlight === 0 && state.failures.length === 0) addresses.delete(address);
  }

  function sweep(): void {
    if (addresses.size < sweepThreshold) return;
    for (const address of [...addresses.keys()]) {
      const state = stateOf(address);
      forgetIfIdle(address, state);
    }
  }

  function accountDelayMs(): number {
    const since = now() - account.windowMs;
    accountFailures = accountFailures.filter((t) => t > since);
    return accountBackoffMs(accountFailures.length, account);
  }

  return {
    /** Reserves an attempt for `address`, or says how long it must wait. Synchronous, so it cannot be raced. */
    reserve(address: string): LoginReservation {
      sweep();
      const state = stateOf(address);
      if (state.failures.length + state.inFlight >= perAddress.maxAttempts) {
        const oldest = state.failures[0];
        const waitMs = oldest === undefined ? 1_000 : oldest + perAddress.windowMs - now();
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      }
      state.inFlight += 1;
      let settled = false;
      const settle = (outcome: "fail" | "succeed" | "release") => {
        if (settled) return;
        settled = true;
        const current = stateOf(address);
        current.inFlight -= 1;
        if (outcome === "fail") {
          current.failures.push(now());
          accountFailures.push(now());
        } else if (outcome === "succeed") {
          current.failures = [];
          accountFailures = [];
        }
        forgetIfIdle(address, current);
      };
      return {
        ok: true,
        delayMs: accountDelayMs(),
        fail: () => settle("fail"),
        succeed: () => settle("succeed"),
        release: () => settle("release"),
      };
    },
  };
}

export type LoginBrake = ReturnType<typeof createLoginBrake>;
