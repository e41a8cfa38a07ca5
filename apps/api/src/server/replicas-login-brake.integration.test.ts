import { accountBackoffMs, defaultAccountBackoff } from "@tollgate/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type Replica, useReplicaSet } from "../testing/replica-set.ts";

// SPEC §11 and §15: the owner login's guessing brake (10 attempts a minute per address, then a per-account
// backoff) holds across replicas on one ledger. Each replica alone would let 10 through and back off only
// after its own failures; both counts are shared through the ledger. The test client is a trusted proxy, so
// X-Forwarded-For names the guessing address.
const cluster = useReplicaSet({ TOLLGATE_TRUSTED_PROXIES: "127.0.0.1" });

const login = async (replica: Replica, password: string, from?: string) => {
  const started = performance.now();
  const res = await fetch(`${replica.url}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(from ? { "x-forwarded-for": from } : {}) },
    body: JSON.stringify({ password }),
  });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get("retry-after"), ms: performance.now() - started };
};

describe("the login brake on replicas", () => {
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    [a, b] = await Promise.all([cluster.start("brake-a"), cluster.start("brake-b")]);
  });

  it("guesses at one account from many addresses over two replicas meet one backoff, counted over both", async () => {
    // Nine wrong passwords, each from its own address, taking turns on the replicas. Before the k-th the
    // ledger holds k failures, so past the free ones it waits 250 ms × 2^n on whichever replica it lands;
    // each replica alone would have seen at most 4 failures (no backoff at all).
    const answers = [];
    for (let k = 0; k < 9; k++) {
      answers.push(await login(k % 2 === 0 ? a : b, `wrong guess ${k}`, `198.51.100.${k + 1}`));
    }
    console.info(`9 guesses over 2 replicas took ${answers.map((answer) => answer.ms.toFixed(0)).join(", ")} ms`);
    expect(answers.map((answer) => answer.status)).toEqual(Array(9).fill(401));
    for (const [k, answer] of answers.entries()) {
      expect(answer.ms).toBeGreaterThanOrEqual(accountBackoffMs(k, defaultAccountBackoff));
    }
    // The last guess (on a, which saw only 4 of the failures itself: no backoff of its own) waited for all 8.
    expect(accountBackoffMs(8, defaultAccountBackoff)).toBe(1_000);
  });

  it("24 concurrent wrong passwords from one address over two replicas: at most 10 are checked in all", async () => {
    // The count is per fixed minute: start well inside one so the window cannot turn over mid-test.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 40_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => login(i % 2 === 0 ? a : b, `wrong password ${i}`)),
    );
    const statuses = answers.map((answer) => answer.status);
    const checked = statuses.filter((status) => status === 401).length;
    console.info(`24 wrong passwords over 2 replicas: ${checked} checked (401), the rest ${JSON.stringify(statuses)}`);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    expect(checked).toBeLessThanOrEqual(10);
    expect(checked).toBeGreaterThan(0);
    for (const refused of answers.filter((answer) => answer.status === 429)) {
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // Either replica now refuses that address at once, before any password check.
    expect((await login(a, "one more")).status).toBe(429);
    expect((await login(b, "one more")).status).toBe(429);
  });
});
