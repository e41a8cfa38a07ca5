import { describe, expect, it } from "vitest";
import type { PaymentRepository, PendingPayment } from "./payment-repository.ts";
import { resolvePendingPayments } from "./resolve-pending-payments.ts";

function pending(id: string): PendingPayment {
  return {
    id,
    state: "delivered",
    txHash: null,
    chain: "local",
    network: "eip155:31337",
    asset: "0xT",
    payer: "0xP",
    nonce: `0x${id}`,
    createdAt: new Date(),
  };
}

describe("resolvePendingPayments", () => {
  it("settles used authorizations, abandons unused ones, leaves unreachable chains pending", async () => {
    const moves: [string, string, unknown][] = [];
    const repo = {
      listPending: async () => [pending("a"), pending("b"), pending("c")],
      transition: async (id: string, to: string, update: unknown) => {
        moves.push([id, to, update]);
        return true;
      },
    } as unknown as PaymentRepository;
    const errors: string[] = [];
    const result = await resolvePendingPayments({
      payments: repo,
      checkAuthorization: async (p) => {
        if (p.id === "a") return { used: true, txHash: "0xtx" };
        if (p.id === "b") return { used: false };
        throw new Error("rpc down");
      },
      now: () => new Date("2026-01-01T00:00:00Z"),
      onError: (p) => errors.push(p.id),
    });
    expect(result).toEqual({ settled: 1, abandoned: 1, waiting: 0, unresolved: 1 });
    expect(moves.map(([id, to]) => [id, to])).toEqual([
      ["a", "settled"],
      ["b", "abandoned"],
    ]);
    expect(moves[0]?.[2]).toMatchObject({ txHash: "0xtx", settledAt: new Date("2026-01-01T00:00:00Z") });
    expect(errors).toEqual(["c"]);
  });

  it("a transaction still in flight is not abandoned: the row waits as settlement_pending", async () => {
    const moves: [string, string][] = [];
    const repo = {
      listPending: async () => [{ ...pending("d"), txHash: "0xd" }],
      transition: async (id: string, to: string) => {
        moves.push([id, to]);
        return true;
      },
    } as unknown as PaymentRepository;
    const result = await resolvePendingPayments({
      payments: repo,
      checkAuthorization: async () => ({ used: false, inFlight: true }),
    });
    expect(result).toEqual({ settled: 0, abandoned: 0, waiting: 1, unresolved: 0 });
    expect(moves).toEqual([["d", "settlement_pending"]]);
  });

  it("keeps the recorded transaction hash when the chain's event is not found", async () => {
    const updates: unknown[] = [];
    const repo = {
      listPending: async () => [{ ...pending("e"), state: "settlement_pending", txHash: "0xrecorded" }],
      transition: async (_id: string, _to: string, update: unknown) => {
        updates.push(update);
        return true;
      },
    } as unknown as PaymentRepository;
    await resolvePendingPayments({ payments: repo, checkAuthorization: async () => ({ used: true, txHash: null }) });
    expect(updates[0]).toMatchObject({ txHash: "0xrecorded" });
  });
});
