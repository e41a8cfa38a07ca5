import { describe, expect, it } from "vitest";
import type { AgentSpendPolicy } from "./agent.ts";
import { decideOutboundPayment } from "./spend-policy.ts";

const payee = "0x00000000000000000000000000000000000000aa";
const policy: AgentSpendPolicy = {
  maxPerPayment: 10_000n,
  dailyBudget: 50_000n,
  allowNetworks: ["eip155:31337"],
  allowAssets: [],
  allowPayees: [payee],
};
const attempt = { amount: 10_000n, network: "eip155:31337", asset: "0x01", payTo: payee.toUpperCase() };

describe("decideOutboundPayment", () => {
  it("allows a payment inside every limit, up to the budget exactly", () => {
    expect(decideOutboundPayment({ policy, attempt, spentInWindow: 40_000n })).toEqual({ ok: true });
  });
  it("refuses with the reason a buyer would read", () => {
    const reason = (p: Partial<AgentSpendPolicy>, a: Partial<typeof attempt> = {}, spent = 0n) => {
      const decision = decideOutboundPayment({
        policy: { ...policy, ...p },
        attempt: { ...attempt, ...a },
        spentInWindow: spent,
      });
      return decision.ok ? "ok" : decision.reason;
    };
    expect(reason({}, {}, 40_001n)).toBe("budget_exceeded");
    expect(reason({}, { amount: 10_001n })).toBe("max_per_payment_exceeded");
    expect(reason({}, { payTo: "0x00000000000000000000000000000000000000bb" })).toBe("payee_not_allowed");
    expect(reason({}, { network: "eip155:8453" })).toBe("network_not_allowed");
    expect(reason({ allowAssets: ["0x02"] })).toBe("asset_not_allowed");
    expect(reason({ dailyBudget: null })).toBe("no_spend_policy");
  });
});
