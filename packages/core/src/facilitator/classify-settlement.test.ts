import { describe, expect, it } from "vitest";
import { classifySettlement } from "./classify-settlement.ts";

const network = "eip155:31337" as const;

describe("classifySettlement", () => {
  it("settled carries the transaction", () => {
    expect(classifySettlement({ success: true, transaction: "0xaa", network })).toEqual({
      status: "settled",
      txHash: "0xaa",
    });
  });

  it("a broadcast without a receipt is pending, not failed", () => {
    expect(
      classifySettlement({ success: false, errorReason: "settlement_pending", transaction: "0xbb", network }),
    ).toEqual({ status: "pending", txHash: "0xbb" });
  });

  it("pending without a transaction hash proves nothing went out: failed", () => {
    expect(classifySettlement({ success: false, errorReason: "settlement_pending", transaction: "", network })).toEqual(
      { status: "failed", reason: "settlement_pending", txHash: null },
    );
  });

  it("a reverted transaction is failed and keeps its hash", () => {
    expect(
      classifySettlement({
        success: false,
        errorReason: "invalid_exact_evm_transaction_failed",
        transaction: "0xcc",
        network,
      }),
    ).toEqual({ status: "failed", reason: "invalid_exact_evm_transaction_failed", txHash: "0xcc" });
  });
});
