import { beforeAll, describe, expect, it } from "vitest";
import { type Replica, useReplicaSet } from "../testing/replica-set.ts";

// SPEC §11 and §15: the owner login's guessing brake (10 attempts a minute per address) holds across replicas
// on one ledger. Each replica alone would let 10 through; the count is shared through the ledger.
const cluster = useReplicaSet();

const login = async (replica: Replica, password: string) => {
  const res = await fetch(`${replica.url}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ password }),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after") };
};

describe("the login brake on replicas", () => {
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    [a, b] = await Promise.all([cluster.start("brake-a"), cluster.start("brake-b")]);
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
