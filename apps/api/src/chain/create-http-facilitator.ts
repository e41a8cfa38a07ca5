import { TollgateError } from "@tollgate/core";
import type { Facilitator } from "@tollgate/core/facilitator/index";
import { checkFacilitatorHealth } from "@tollgate/core/facilitator/index";
import { HTTPFacilitatorClient } from "@x402/core/server";
import { SettleError, VerifyError } from "@x402/core/types";

/** Options of the guard in front of a remote facilitator. */
export interface HttpFacilitatorOptions {
  url: string;
  /** `/verify` must answer within this (a paid request waits for it before anything else happens). */
  verifyTimeoutMs?: number;
  /** `/settle` may wait for a confirmation: a longer bound. */
  settleTimeoutMs?: number;
  healthTimeoutMs?: number;
  /** Requests in flight to the facilitator at once; more wait in a queue of `maxQueued`, beyond it fail fast. */
  maxInFlight?: number;
  maxQueued?: number;
  /** Consecutive failures (5xx, timeouts, unreachable) that open the circuit… */
  failureThreshold?: number;
  /** …for this long: every call then fails at once, until one trial call succeeds. */
  openMs?: number;
}

/**
 * A remote x402 facilitator reached over HTTP (`/verify`, `/settle`, `/supported`) behind a guard: bounded
 * time per call, a bounded number of calls in flight, and a circuit breaker. A facilitator that is down costs a
 * paid request at most `verifyTimeoutMs` and then nothing while the circuit is open; every failure is thrown as
 * FACILITATOR_UNAVAILABLE, which the gateway answers 503 `retriable: true` — never a free delivery. A 4xx answer
 * with a verify (or settle) body is the facilitator's verdict, returned as is.
 */
export function createHttpFacilitator({
  url,
  verifyTimeoutMs = 1_500,
  settleTimeoutMs = 30_000,
  healthTimeoutMs = 5_000,
  maxInFlight = 32,
  maxQueued = 256,
  failureThreshold = 5,
  openMs = 10_000,
}: HttpFacilitatorOptions): Facilitator {
  const verifier = new HTTPFacilitatorClient({ url, timeoutMs: verifyTimeoutMs });
  const settler = new HTTPFacilitatorClient({ url, timeoutMs: settleTimeoutMs });
  let inFlight = 0;
  const queue: (() => void)[] = [];
  let failures = 0;
  let openUntil = 0;

  const unavailable = (message: string) => new TollgateError("FACILITATOR_UNAVAILABLE", message);

  const acquire = async (): Promise<void> => {
    if (inFlight < maxInFlight) {
      inFlight += 1;
      return;
    }
    if (queue.length >= maxQueued) throw unavailable(`The facilitator at ${url} is saturated`);
    await new Promise<void>((resolve) => queue.push(resolve));
  };
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else inFlight -= 1;
  };

  /** Runs a call through the breaker and the bound; a verdict (4xx with a body) is returned, not counted. */
  async function guarded<T>(call: () => Promise<T>, verdict: (error: unknown) => T | undefined): Promise<T> {
    if (Date.now() < openUntil) throw unavailable(`The facilitator at ${url} is failing; retry shortly`);
    await acquire();
    try {
      const result = await call();
      failures = 0;
      return result;
    } catch (error) {
      const answer = verdict(error);
      if (answer !== undefined) {
        failures = 0;
        return answer;
      }
      failures += 1;
      if (failures >= failureThreshold) openUntil = Date.now() + openMs;
      throw unavailable(`The facilitator at ${url} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      release();
    }
  }

  const getSupported = () => verifier.getSupported();
  return {
    kind: "http",
    label: url,
    verify: (payload, requirements) =>
      guarded(
        () => verifier.verify(payload, requirements),
        (error) =>
          error instanceof VerifyError && error.statusCode < 500
            ? {
                isValid: false,
                invalidReason: error.invalidReason ?? "verification_failed",
                ...(error.invalidMessage ? { invalidMessage: error.invalidMessage } : {}),
                ...(error.payer ? { payer: error.payer } : {}),
              }
            : undefined,
      ),
    settle: (payload, requirements) =>
      guarded(
        () => settler.settle(payload, requirements),
        (error) =>
          error instanceof SettleError && error.statusCode < 500
            ? {
                success: false,
                errorReason: error.errorReason ?? "settlement_failed",
                ...(error.errorMessage ? { errorMessage: error.errorMessage } : {}),
                transaction: error.transaction ?? "",
                network: error.network ?? requirements.network,
                ...(error.payer ? { payer: error.payer } : {}),
              }
            : undefined,
      ),
    getSupported,
    checkHealth: (network) => checkFacilitatorHealth({ getSupported, network, timeoutMs: healthTimeoutMs }),
  };
}
