import { z } from "zod";
import { modelNameSchema, offerNameSchema, upstreamUrlSchema } from "../offers/offer-schemas.ts";

/** Limits on agent fields; larger values are refused with the field named. */
export const agentLimits = { skills: 32, skill: 100, objective: 4_000 } as const;

/** An agent name: a DNS label, like offer names (it appears in URLs). */
export const agentNameSchema = offerNameSchema;

/** What `agents create` takes. */
export const createAgentInputSchema = z.object({
  name: agentNameSchema,
  model: modelNameSchema,
  skills: z
    .array(
      z
        .string()
        .trim()
        .min(1, "a skill is empty")
        .max(agentLimits.skill, `a skill is at most ${agentLimits.skill} characters`),
    )
    .max(agentLimits.skills, `at most ${agentLimits.skills} skills`)
    .default([]),
  objective: z.string().max(agentLimits.objective, `at most ${agentLimits.objective} characters`).default(""),
  /** An external OpenAI-compatible runtime to use instead of the built-in one (validated like an offer upstream). */
  runtimeUrl: upstreamUrlSchema.optional(),
});
export type CreateAgentInput = z.input<typeof createAgentInputSchema>;

/** What `agents update` takes: `runtimeUrl` null goes back to the built-in runtime. */
export const updateAgentInputSchema = z.object({
  name: agentNameSchema,
  runtimeUrl: upstreamUrlSchema.nullable().optional(),
});
export type UpdateAgentInput = z.input<typeof updateAgentInputSchema>;

export const agentNameInputSchema = z.object({ name: agentNameSchema });

/**
 * What `agents delete` takes: `force` also deletes the offers that sell the agent. `confirmedOffers` is what a
 * confirmation showed the user: the delete goes ahead (with those offers) only if exactly those offers sell it now.
 */
export const deleteAgentInputSchema = z.object({
  name: agentNameSchema,
  force: z.boolean().default(false),
  confirmedOffers: z.array(offerNameSchema).max(1_000).optional(),
});
export type DeleteAgentInput = z.input<typeof deleteAgentInputSchema>;

/** The spend policy as every transport shows it: USDC decimal strings, null = not set. */
export const agentPolicyViewSchema = z.object({
  maxPerPayment: z.string().nullable(),
  dailyBudget: z.string().nullable(),
  allowNetworks: z.array(z.string()),
  allowAssets: z.array(z.string()),
  allowPayees: z.array(z.string()),
});
export type AgentPolicyView = z.infer<typeof agentPolicyViewSchema>;

/** An agent as every transport shows it: its address, never its key. */
export const agentViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  model: z.string(),
  skills: z.array(z.string()),
  objective: z.string(),
  /** The external runtime answering for the agent; null = the built-in runtime. */
  runtimeUrl: z.string().nullable(),
  walletAddress: z.string(),
  policy: agentPolicyViewSchema,
  /** USDC reserved, signed or settled by outbound payments in the last 24 hours (what the budget counts). */
  spentLast24h: z.string(),
  /** The agent's own ERC-8004 identities, one per chain it sells on, owned by its wallet. */
  identities: z.array(
    z.object({
      chain: z.string(),
      registry: z.string(),
      tokenId: z.string().nullable(),
      owner: z.string(),
      agentUri: z.string(),
      state: z.enum(["pending", "registered", "failed"]),
      txHash: z.string().nullable(),
      lastError: z.string().nullable(),
    }),
  ),
  /** Live offers that sell this agent. */
  offers: z.array(z.string()),
  /** Real chains to fund the agent's wallet on (its offers' chains, its policy's networks), each with its EIP-681 URI. */
  fundingChains: z.array(z.object({ chain: z.string(), chainId: z.number().int(), uri: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AgentView = z.infer<typeof agentViewSchema>;
