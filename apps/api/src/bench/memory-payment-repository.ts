import type { PaymentRepository } from "@tollgate/core/payments/index";

/** An in-memory payments ledger with the same (network, payer, nonce) uniqueness (bench only). */
export function createMemoryPaymentRepository(): PaymentRepository {
  const keys = new Set<string>();
  const states = new Map<string, string>();
  let next = 0;
  return {
    async insertVerified(payment) {
      const key = `${payment.network}|${payment.payer}|${payment.nonce}`;
      if (keys.has(key)) return { status: "duplicate" };
      keys.add(key);
      const id = String(++next);
      states.set(id, "verified");
      return { status: "inserted", id };
    },
    async transition(id, to) {
      if (!states.has(id)) return false;
      states.set(id, to);
      return true;
    },
    annotatePending: async (id) => states.get(id) === "verified" || states.get(id) === "delivered",
    list: async () => ({ payments: [], nextCursor: null }),
    async *csvChunks() {
      yield* [];
    },
    aggregateSettled: async () => [],
    offerActivity: async () => ({ lastSettledAt: null, totals: [], byDay: [] }),
    listPending: async () => [],
  };
}
