import { describe, expect, it } from "vitest";
import { canTransitionPayment, isFinalPaymentState, paymentStates, paymentStatesBefore } from "./payment-state.ts";

describe("payment state machine", () => {
  it("goes verified → delivered → settled | settle_failed", () => {
    expect(canTransitionPayment("verified", "delivered")).toBe(true);
    expect(canTransitionPayment("delivered", "settled")).toBe(true);
    expect(canTransitionPayment("delivered", "settle_failed")).toBe(true);
    expect(canTransitionPayment("verified", "upstream_failed")).toBe(true);
  });

  it("an unconfirmed settlement is not final: recovery settles or abandons it", () => {
    expect(canTransitionPayment("delivered", "settlement_pending")).toBe(true);
    expect(canTransitionPayment("settlement_pending", "settled")).toBe(true);
    expect(canTransitionPayment("settlement_pending", "abandoned")).toBe(true);
    expect(isFinalPaymentState("settlement_pending")).toBe(false);
  });

  it("never leaves a final state (a settled payment cannot be abandoned by recovery)", () => {
    for (const state of ["settled", "settle_failed", "upstream_failed", "rejected", "abandoned"] as const) {
      expect(isFinalPaymentState(state)).toBe(true);
      for (const to of paymentStates) expect(canTransitionPayment(state, to)).toBe(false);
    }
  });

  it("lists the states a transition may start from", () => {
    expect(paymentStatesBefore("settled")).toEqual(["verified", "delivered", "settlement_pending"]);
    expect(paymentStatesBefore("delivered")).toEqual(["verified"]);
  });
});
