import type { AuditSink } from "../audit/audit-sink.ts";
import { TollgateError } from "../errors/error-codes.ts";
import type { AdminAuthRepository, AdminSessionSummary } from "./admin-auth-repository.ts";
import { ownerUsername, passwordSchema } from "./auth-schemas.ts";
import {
  accountBackoffMs,
  createLoginBrake,
  defaultAccountBackoff,
  defaultPerAddress,
  type LoginBrakeOptions,
  type SharedLoginCounter,
} from "./login-brake.ts";

/** How long a login lasts. */
export const sessionLifetimeSeconds = 7 * 24 * 3600;

function checkPassword(password: string): void {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) {
    throw new TollgateError("VALIDATION_FAILED", parsed.error.issues[0]?.message ?? "invalid password", {
      field: "password",
    });
  }
}

/**
 * Owner login (SPEC §11): set the password (first run with the owner token, or later by an admin), log
 * in for a session token, resolve a session from its token, log out. Every change is audited.
 */
export function createAdminAuthService(deps: {
  repository: AdminAuthRepository;
  audit: AuditSink;
  /** True when the token is a live admin-scope API token (the owner token written at first start is one). */
  isOwnerToken: (token: string) => Promise<boolean>;
  clock?: () => Date;
  lifetimeSeconds?: number;
  /** The online guessing brake's limits (defaults: 10 attempts a minute per address, backoff up to 4 s). */
  brake?: Omit<LoginBrakeOptions, "clock">;
  /**
   * Replicas on one ledger: the per-address limit and the account's failures are also counted there (the
   * address atomically), so guesses spread over replicas meet the same limit and the same backoff. A lone
   * server keeps the in-memory brake only.
   */
  sharedAttempts?: SharedLoginCounter;
  /** Waits before a password check (the account backoff); tests may pass a fake. */
  sleep?: (ms: number) => Promise<void>;
}) {
  const { repository, audit, isOwnerToken } = deps;
  const clock = deps.clock ?? (() => new Date());
  const lifetimeSeconds = deps.lifetimeSeconds ?? sessionLifetimeSeconds;
  // Per client address: 10 attempts a minute; per account: a bounded backoff (an online guessing brake).
  const brake = createLoginBrake({ ...deps.brake, clock });
  const limits = deps.brake?.perAddress ?? defaultPerAddress;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const account = deps.brake?.account ?? defaultAccountBackoff;
  const accountKey = `account:${ownerUsername}`;
  // The account's failures are counted in one-minute windows, summed over the backoff's window.
  const accountBucketMs = 60_000;

  type SharedReservation =
    | { ok: true; delayMs: number; fail(): Promise<void>; undo(): Promise<void>; clear(): Promise<void> }
    | { ok: false; retryAfterSeconds: number };

  /**
   * The ledger's count for `address` in the current window and the account's recent failures (nothing to
   * count on a lone server). A ledger write that fails after the check is dropped: the attempt has happened.
   */
  async function reserveShared(address: string): Promise<SharedReservation> {
    const counter = deps.sharedAttempts;
    const noop = async () => {};
    if (!counter) return { ok: true, delayMs: 0, fail: noop, undo: noop, clear: noop };
    const key = `address:${address}`;
    const now = clock().getTime();
    const windowStart = new Date(now - (now % limits.windowMs));
    const [attempts, accountFailures] = await Promise.all([
      counter.hit(key, windowStart),
      counter.count(accountKey, new Date(now - account.windowMs)),
    ]);
    if (attempts > limits.maxAttempts) {
      const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + limits.windowMs - now) / 1000));
      return { ok: false, retryAfterSeconds };
    }
    return {
      ok: true,
      delayMs: accountBackoffMs(accountFailures, account),
      fail: async () => {
        const failedAt = clock().getTime();
        await counter.hit(accountKey, new Date(failedAt - (failedAt % accountBucketMs))).catch(noop);
      },
      undo: () => counter.undo(key, windowStart).catch(noop),
      clear: async () => {
        await Promise.all([counter.clear(key).catch(noop), counter.clear(accountKey).catch(noop)]);
      },
    };
  }

  async function startSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(clock().getTime() + lifetimeSeconds * 1000);
    const { token } = await repository.createSession({ userId, expiresAt });
    // Expired rows are swept on login so the table stays small without a timer.
    void repository.deleteExpiredSessions(clock()).catch(() => {});
    return { token, expiresAt };
  }

  return {
    /** Whether the owner has set a password. */
    async isPasswordSet(): Promise<boolean> {
      return (await repository.findUser(ownerUsername)) !== null;
    },

    /** First run: sets the password once, proven by the owner token; returns a session for the browser. */
    async setupPassword(input: { ownerToken: string; password: string }) {
      if (!(await isOwnerToken(input.ownerToken))) {
        throw new TollgateError("UNAUTHENTICATED", "That is not a live owner (admin) token", {
          field: "ownerToken",
          hint: "The owner token is in $TOLLGATE_HOME/admin-token on the seller box.",
        });
      }
      if (await repository.findUser(ownerUsername)) {
        throw new TollgateError("CONFLICT", "A password is already set", {
          hint: "Sign in, or change it with `tollgate admin password` on the seller box.",
        });
      }
      checkPassword(input.password);
      const user = await repository.setPassword({ username: ownerUsername, password: input.password });
      await audit.record({
        actor: "token:owner",
        action: "admin.password.setup",
        objectType: "AdminUser",
        objectId: user.username,
      });
      return startSession(user.id);
    },

    /** Sets or changes the owner's password (an admin caller); other sessions end. */
    async setPassword(input: { password: string; actor: string }): Promise<{ username: string }> {
      checkPassword(input.password);
      const user = await repository.setPassword({ username: ownerUsername, password: input.password });
      await audit.record({
        actor: input.actor,
        action: "admin.password.set",
        objectType: "AdminUser",
        objectId: user.username,
      });
      return { username: user.username };
    },

    /**
     * Checks the password and starts a session; the same refusal whether or not a password exists. The
     * attempt is reserved before the (slow) check, per client address as the transport resolved it.
     */
    async login(input: { password: string; clientAddress?: string }): Promise<{ token: string; expiresAt: Date }> {
      const address = input.clientAddress ?? "unknown";
      const ticket = brake.reserve(address);
      if (!ticket.ok) {
        throw new TollgateError(
          "TOO_MANY_REQUESTS",
          `Too many wrong passwords; try again in ${ticket.retryAfterSeconds} s`,
          { field: "password", retryAfterSeconds: ticket.retryAfterSeconds },
        );
      }
      const shared = await reserveShared(address).catch((error: unknown) => {
        ticket.release();
        throw error;
      });
      if (!shared.ok) {
        ticket.release();
        throw new TollgateError(
          "TOO_MANY_REQUESTS",
          `Too many wrong passwords; try again in ${shared.retryAfterSeconds} s`,
          { field: "password", retryAfterSeconds: shared.retryAfterSeconds },
        );
      }
      let user: Awaited<ReturnType<AdminAuthRepository["verifyPassword"]>>;
      try {
        // This replica's count and the ledger's (all replicas'): the longer backoff.
        const delayMs = Math.max(ticket.delayMs, shared.delayMs);
        if (delayMs > 0) await sleep(delayMs);
        user = await repository.verifyPassword({ username: ownerUsername, password: input.password });
      } catch (error) {
        ticket.release();
        await shared.undo();
        throw error;
      }
      if (!user) {
        ticket.fail();
        await shared.fail();
        throw new TollgateError("UNAUTHENTICATED", "Wrong password", { field: "password" });
      }
      ticket.succeed();
      await shared.clear();
      await audit.record({
        actor: `user:${user.username}`,
        action: "admin.login",
        objectType: "AdminUser",
        objectId: user.username,
      });
      return startSession(user.id);
    },

    /** Ends the session of this token. */
    async logout(token: string): Promise<void> {
      await repository.deleteSession(token);
    },

    /** The live session of a cookie token, or null. */
    resolveSession(token: string): Promise<AdminSessionSummary | null> {
      return repository.findSession({ token, now: clock() });
    },
  };
}

export type AdminAuthService = ReturnType<typeof createAdminAuthService>;
