import { getAddress, isAddress } from "viem";
import { z } from "zod";
import { priceSchema } from "../offers/offer-schemas.ts";
import type { AgentSpendPolicy } from "./agent.ts";
import { agentNameSchema } from "./agent-schemas.ts";

const addressSchema = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), "must be a 20-byte 0x address")
  .transform((value) => getAddress(value));
const networkSchema = z.string().regex(/^eip155:\d{1,12}$/, "must be a CAIP-2 EVM network such as eip155:8453");

/** What `agents policy` takes: only the named fields change; amounts are USDC decimals. */
export const setAgentPolicyInputSchema = z.object({
  name: agentNameSchema,
  maxPerPayment: priceSchema.optional(),
  dailyBudget: priceSchema.optional(),
  allowNetworks: z.array(networkSchema).max(32).optional(),
  allowAssets: z.array(addressSchema).max(32).optional(),
  allowPayees: z.array(addressSchema).max(256).optional(),
});
export type SetAgentPolicyInput = z.input<typeof setAgentPolicyInputSchema>;

/** Why an outbound payment is refused before anything is signed (x402-style reason strings). */
export const outboundRefusals = [
  "no_spend_policy",
  "max_per_payment_exceeded",
  "budget_exceeded",
  "network_not_allowed",
  "asset_not_allowed",
  "payee_not_allowed",
] as const;
export type OutboundRefusal = (typeof outboundRefusals)[number];

/** One payment an agent is about to sign. */
export interface OutboundPaymentAttempt {
  amount: bigint;
  network: string;
  asset: string;
  payTo: string;
}

const listed = (list: string[], value: string) =>
  list.length === 0 || list.some((item) => item.toLowerCase() === value.toLowerCase());

/**
 * Whether an agent may make this payment, given what it reserved or spent in the last 24 hours. The ledger
 * calls it under a lock on the agent's row and reserves the amount in the same transaction, so concurrent
 * payments can never exceed the budget together.
 */
export function decideOutboundPayment({
  policy,
  attempt,
  spentInWindow,
}: {
  policy: AgentSpendPolicy;
  attempt: OutboundPaymentAttempt;
  spentInWindow: bigint;
}): { ok: true } | { ok: false; reason: OutboundRefusal; message: string } {
  if (policy.maxPerPayment === null || policy.dailyBudget === null) {
    return {
      ok: false,
      reason: "no_spend_policy",
      message: "set a spend policy first: tollgate agents policy NAME --max-per-payment D --daily-budget D",
    };
  }
  if (!listed(policy.allowNetworks, attempt.network)) {
    return { ok: false, reason: "network_not_allowed", message: `network ${attempt.network} is not allowed` };
  }
  if (!listed(policy.allowAssets, attempt.asset)) {
    return { ok: false, reason: "asset_not_allowed", message: `asset ${attempt.asset} is not allowed` };
  }
  if (!listed(policy.allowPayees, attempt.payTo)) {
    return { ok: false, reason: "payee_not_allowed", message: `payee ${attempt.payTo} is not in the allow-list` };
  }
  if (attempt.amount > policy.maxPerPayment) {
    return {
      ok: false,
      reason: "max_per_payment_exceeded",
      message: `${attempt.amount} is over the maximum per payment (${policy.maxPerPayment})`,
    };
  }
  if (spentInWindow + attempt.amount > policy.dailyBudget) {
    return {
      ok: false,
      reason: "budget_exceeded",
      message: `${spentInWindow} spent or reserved in the last 24 h; ${attempt.amount} more is over the budget (${policy.dailyBudget})`,
    };
  }
  return { ok: true };
}

/** What `agents pay` takes: an outbound x402 call from the agent's wallet. */
export const payAsAgentInputSchema = z.object({
  name: agentNameSchema,
  url: z
    .string()
    .max(2_048, "at most 2048 characters")
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === "http:" || url.protocol === "https:";
      } catch {
        return false;
      }
    }, "must be an absolute http(s) URL"),
  method: z.enum(["GET", "POST", "PUT", "DELETE"]).default("GET"),
  data: z.string().max(1_000_000, "at most 1,000,000 characters").optional(),
});
export type PayAsAgentInput = z.input<typeof payAsAgentInputSchema>;

/** The outcome of `agents pay`: what the service answered, and the outbound payment if one was made. */
export const agentPayResultSchema = z.object({
  agent: z.string(),
  url: z.string(),
  status: z.number().int(),
  paid: z.boolean(),
  paymentId: z.string().nullable(),
  /** `signed`: the signed payment left and the payee never said it was not settled; it still counts against the budget. */
  state: z.enum(["none", "refused", "settled", "failed", "signed"]),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  amount: z.string().nullable(),
  payTo: z.string().nullable(),
  network: z.string().nullable(),
  txHash: z.string().nullable(),
  body: z.string(),
});
export type AgentPayResult = z.infer<typeof agentPayResultSchema>;

/** What `agents fund` takes: test USDC (and gas) from the devnet's buyer account. */
export const fundAgentInputSchema = z.object({ name: agentNameSchema, amount: priceSchema });
export type FundAgentInput = z.input<typeof fundAgentInputSchema>;

export const agentFundResultSchema = z.object({
  agent: z.string(),
  address: z.string(),
  usdcTxHash: z.string(),
  gasTxHash: z.string().nullable(),
  usdcBalance: z.string(),
  gasBalance: z.string(),
});
export type AgentFundResult = z.infer<typeof agentFundResultSchema>;

/** An outbound payment as transports show it. */
export const outboundPaymentViewSchema = z.object({
  id: z.string(),
  agent: z.string(),
  direction: z.literal("outbound"),
  url: z.string(),
  network: z.string().nullable(),
  asset: z.string().nullable(),
  payTo: z.string().nullable(),
  /** Atomic units. */
  amount: z.string(),
  state: z.enum(["reserved", "signed", "settled", "failed", "refused"]),
  reason: z.string().nullable(),
  txHash: z.string().nullable(),
  createdAt: z.string(),
});
export type OutboundPaymentView = z.infer<typeof outboundPaymentViewSchema>;

/** An agent's balances where Tollgate can read them (the local devnet), for the admin and `agents show`. */
export const agentBalanceSchema = z.object({
  agent: z.string(),
  address: z.string(),
  /** `local` when the devnet runs (funding is a button), else null: fund the address on the real chain. */
  chain: z.string().nullable(),
  /** Atomic USDC units, or null when no chain could be read. */
  usdc: z.string().nullable(),
  /** Wei of the chain's native token (gas), or null. */
  gas: z.string().nullable(),
  /** USDC below the daily budget (or below 0.05 without one), or no gas at all. */
  low: z.boolean(),
});
export type AgentBalance = z.infer<typeof agentBalanceSchema>;
