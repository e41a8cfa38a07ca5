import type { AuditSink } from "../audit/audit-sink.ts";
import { TollgateError } from "../errors/error-codes.ts";
import type { Model } from "../models/model.ts";
import type { OfferRepository } from "../offers/offer-repository.ts";
import { findOwnEndpointReason, type OwnEndpoints } from "../offers/own-endpoints.ts";
import { parseInput } from "../offers/parse-input.ts";
import { formatAtomicAmount } from "../payments/format-atomic-amount.ts";
import type { SecretStore } from "../secrets/secret-store.ts";
import {
  type Agent,
  type AgentIdentity,
  agentWalletSecretName,
  builtInAgentModel,
  type MintedWallet,
} from "./agent.ts";
import type { AgentIdentityRepository } from "./agent-identity-repository.ts";
import type { AgentRepository } from "./agent-repository.ts";
import { findAgentFundingChains } from "./find-agent-funding-chains.ts";
import { type OutboundPaymentView, type SetAgentPolicyInput, setAgentPolicyInputSchema } from "./spend-policy.ts";
import { toAtomicAmount } from "../pricing/to-atomic-amount.ts";
import {
  type AgentView,
  agentNameInputSchema,
  type CreateAgentInput,
  createAgentInputSchema,
  type DeleteAgentInput,
  deleteAgentInputSchema,
  type UpdateAgentInput,
  updateAgentInputSchema,
} from "./agent-schemas.ts";

/** An offer that sells an agent: its name and the chain it is paid on. */
type AgentOffer = { name: string; chain: string };

/** USDC has 6 decimals on every chain Tollgate knows; policy amounts are shown in USDC. */
const usdcDecimals = 6;
const dayMs = 24 * 60 * 60 * 1000;

/** An agent as transports show it: the address, never the key. */
export function toAgentView(
  agent: Agent,
  offers: AgentOffer[],
  spentLast24h = 0n,
  identities: AgentIdentity[] = [],
): AgentView {
  const usdc = (value: bigint | null) =>
    value === null ? null : formatAtomicAmount({ amount: value.toString(), decimals: usdcDecimals });
  return {
    id: agent.id,
    name: agent.name,
    model: agent.model,
    skills: agent.skills,
    objective: agent.objective,
    runtimeUrl: agent.runtimeUrl,
    walletAddress: agent.walletAddress,
    policy: {
      maxPerPayment: usdc(agent.policy.maxPerPayment),
      dailyBudget: usdc(agent.policy.dailyBudget),
      allowNetworks: agent.policy.allowNetworks,
      allowAssets: agent.policy.allowAssets,
      allowPayees: agent.policy.allowPayees,
    },
    identities: identities
      .filter((i) => i.agentId === agent.id)
      .map(({ chain, registry, tokenId, owner, agentUri, state, txHash, lastError }) => ({
        chain,
        registry,
        tokenId,
        owner,
        agentUri,
        state,
        txHash,
        lastError,
      })),
    spentLast24h: formatAtomicAmount({ amount: spentLast24h.toString(), decimals: usdcDecimals }),
    offers: offers.map((offer) => offer.name),
    fundingChains: findAgentFundingChains({
      address: agent.walletAddress,
      offerChains: offers.map((offer) => offer.chain),
      allowNetworks: agent.policy.allowNetworks,
    }),
    createdAt: agent.createdAt.toISOString(),
    updatedAt: agent.updatedAt.toISOString(),
  };
}

/**
 * Agents (SPEC §13): create (mints the wallet, once), list, show, delete. The wallet key is written to the
 * secret store BEFORE the agent row exists, so no agent is ever without its key, and nothing here ever
 * mints a second wallet for an existing agent. Deleting an agent that offers sell needs `force`, which
 * deletes those offers first.
 */
export function createAgentsService({
  repo,
  secrets,
  audit,
  models,
  offers,
  deleteOffer,
  mintWallet,
  identities,
  ownEndpoints,
  resolveHost,
  newId = () => crypto.randomUUID(),
}: {
  /** The ports of this server's own processes: an external runtime may not use them (like an offer upstream). */
  ownEndpoints?: (() => OwnEndpoints) | undefined;
  /** The addresses a host name resolves to, so a name for this machine is caught too. */
  resolveHost?: ((hostname: string) => Promise<readonly string[]>) | undefined;
  /** Agents' ERC-8004 identities, shown with each agent. */
  identities?: Pick<AgentIdentityRepository, "list"> | undefined;
  repo: AgentRepository;
  secrets: SecretStore;
  audit: AuditSink;
  /** Ledger models: an agent runs over one of them, or over the built-in demo model. */
  models: { findModel(name: string): Promise<Model | null> };
  /** Live offers, to find those that sell an agent. */
  offers: Pick<OfferRepository, "list">;
  /** Tombstones an offer (the offer service's delete, so the reconciler and documents follow). */
  deleteOffer: (input: { actor: string; name: string }) => Promise<unknown>;
  /** A fresh random wallet. */
  mintWallet: () => MintedWallet;
  newId?: () => string;
}) {
  async function offersByAgent(): Promise<Map<string, AgentOffer[]>> {
    const byAgent = new Map<string, AgentOffer[]>();
    for (const { offer } of await offers.list()) {
      if (!offer.agentId) continue;
      byAgent.set(offer.agentId, [
        ...(byAgent.get(offer.agentId) ?? []),
        { name: offer.name, chain: offer.payment.chain },
      ]);
    }
    return byAgent;
  }

  async function get(name: string): Promise<Agent> {
    const agent = await repo.findByName(name);
    if (!agent) {
      throw new TollgateError("NOT_FOUND", `No agent named "${name}"`, {
        field: "name",
        hint: "Create it with: tollgate agents create NAME --model M",
      });
    }
    return agent;
  }

  /** One agent as transports show it, with its offers, spend of the last 24 hours and identities. */
  async function viewOf(agent: Agent): Promise<AgentView> {
    const spent = await repo.spentSince(agent.id, new Date(Date.now() - dayMs));
    return toAgentView(agent, (await offersByAgent()).get(agent.id) ?? [], spent, (await identities?.list()) ?? []);
  }

  /** Refuses an external runtime URL that reaches one of the server's own ports. */
  async function checkRuntimeUrl(url: string | null | undefined): Promise<void> {
    if (!url) return;
    const reason = await findOwnEndpointReason({ url, own: ownEndpoints?.(), resolveHost });
    if (reason) {
      throw new TollgateError("VALIDATION_FAILED", `runtimeUrl: ${reason}`, {
        field: "runtimeUrl",
        hint: "Point it at the agent runtime's own address, on another port",
      });
    }
  }

  return {
    /** Creates an agent and mints its wallet (the key is stored encrypted; only the address is ever shown). */
    async create({ actor, input }: { actor: string; input: CreateAgentInput }): Promise<AgentView> {
      const parsed = parseInput(createAgentInputSchema, input);
      if (parsed.model !== builtInAgentModel && !(await models.findModel(parsed.model))) {
        throw new TollgateError("VALIDATION_FAILED", `No model named "${parsed.model}" in the ledger`, {
          field: "model",
          hint: `Add it with: tollgate models add NAME --provider P, or use --model ${builtInAgentModel} (the built-in demo model)`,
        });
      }
      if (await repo.findByName(parsed.name)) {
        throw new TollgateError("CONFLICT", `An agent named "${parsed.name}" already exists`, { field: "name" });
      }
      await checkRuntimeUrl(parsed.runtimeUrl);
      const id = newId();
      const wallet = mintWallet();
      const walletSecretId = agentWalletSecretName(id);
      // Key first: an agent row never exists without its key. A failed insert leaves no key behind.
      await secrets.set(walletSecretId, wallet.privateKey);
      let agent: Agent;
      try {
        agent = await repo.create({
          id,
          name: parsed.name,
          model: parsed.model,
          skills: parsed.skills,
          objective: parsed.objective,
          runtimeUrl: parsed.runtimeUrl ?? null,
          walletAddress: wallet.address,
          walletSecretId,
        });
      } catch (error) {
        await secrets.delete(walletSecretId);
        throw error;
      }
      await audit.record({
        actor,
        action: "agent.create",
        objectType: "Agent",
        objectId: agent.name,
        after: {
          model: agent.model,
          skills: agent.skills,
          walletAddress: agent.walletAddress,
          runtimeUrl: agent.runtimeUrl,
        },
      });
      return toAgentView(agent, []);
    },

    /** Changes what answers for the agent: an external runtime by URL, or the built-in one (null). */
    async update({ actor, input }: { actor: string; input: UpdateAgentInput }): Promise<AgentView> {
      const parsed = parseInput(updateAgentInputSchema, input);
      const agent = await get(parsed.name);
      if (parsed.runtimeUrl === undefined) return viewOf(agent);
      await checkRuntimeUrl(parsed.runtimeUrl);
      const updated = await repo.setRuntimeUrl(agent.id, parsed.runtimeUrl);
      await audit.record({
        actor,
        action: "agent.update",
        objectType: "Agent",
        objectId: agent.name,
        before: { runtimeUrl: agent.runtimeUrl },
        after: { runtimeUrl: updated.runtimeUrl },
      });
      return viewOf(updated);
    },

    async list(): Promise<AgentView[]> {
      const [agents, byAgent] = await Promise.all([repo.list(), offersByAgent()]);
      const since = new Date(Date.now() - dayMs);
      const known = (await identities?.list()) ?? [];
      return Promise.all(
        agents.map(async (a) => toAgentView(a, byAgent.get(a.id) ?? [], await repo.spentSince(a.id, since), known)),
      );
    },

    async show(input: { name: string }): Promise<AgentView> {
      const { name } = parseInput(agentNameInputSchema, input);
      return viewOf(await get(name));
    },

    /**
     * Deletes an agent. With offers selling it, refuses unless `force`, which tombstones them first. The
     * wallet key stays in the secret store: funds left in the wallet are never destroyed with the row.
     */
    async delete({ actor, input }: { actor: string; input: DeleteAgentInput }): Promise<AgentView> {
      const { name, force, confirmedOffers } = parseInput(deleteAgentInputSchema, input);
      const agent = await get(name);
      const sellingOffers = (await offersByAgent()).get(agent.id) ?? [];
      const selling = sellingOffers.map((offer) => offer.name);
      if (confirmedOffers) {
        const confirmed = new Set(confirmedOffers);
        if (selling.length !== confirmed.size || selling.some((offer) => !confirmed.has(offer))) {
          throw new TollgateError(
            "CONFLICT",
            `Agent "${name}" is now sold by ${selling.length ? `offers: ${selling.join(", ")}` : "no offers"}, not the ones confirmed`,
            { field: "confirmedOffers", hint: "Reload and confirm again" },
          );
        }
      } else if (selling.length > 0 && !force) {
        throw new TollgateError("CONFLICT", `Agent "${name}" is sold by offers: ${selling.join(", ")}`, {
          field: "name",
          hint: "Pass --force to delete the agent and those offers",
        });
      }
      for (const offer of selling) await deleteOffer({ actor, name: offer });
      await repo.delete(agent.id);
      await audit.record({
        actor,
        action: "agent.delete",
        objectType: "Agent",
        objectId: name,
        before: { walletAddress: agent.walletAddress, offers: selling },
      });
      return toAgentView(agent, sellingOffers);
    },

    /** Sets the named parts of an agent's spend policy (amounts in USDC); the rest stays. */
    async setPolicy({ actor, input }: { actor: string; input: SetAgentPolicyInput }): Promise<AgentView> {
      const parsed = parseInput(setAgentPolicyInputSchema, input);
      const agent = await get(parsed.name);
      const atomic = (value: string | undefined, field: string, current: bigint | null) =>
        value === undefined ? current : BigInt(toAtomicAmount({ amount: value, decimals: usdcDecimals, field }));
      const policy = {
        maxPerPayment: atomic(parsed.maxPerPayment, "maxPerPayment", agent.policy.maxPerPayment),
        dailyBudget: atomic(parsed.dailyBudget, "dailyBudget", agent.policy.dailyBudget),
        allowNetworks: parsed.allowNetworks ?? agent.policy.allowNetworks,
        allowAssets: parsed.allowAssets ?? agent.policy.allowAssets,
        allowPayees: parsed.allowPayees ?? agent.policy.allowPayees,
      };
      const updated = await repo.setPolicy(agent.id, policy);
      const spent = await repo.spentSince(agent.id, new Date(Date.now() - dayMs));
      const view = toAgentView(updated, (await offersByAgent()).get(agent.id) ?? [], spent);
      await audit.record({
        actor,
        action: "agent.policy",
        objectType: "Agent",
        objectId: agent.name,
        before: toAgentView(agent, []).policy,
        after: view.policy,
      });
      return view;
    },

    /** Outbound payments, newest first (one agent's, or every agent's). */
    async listPayments(input: {
      name?: string | undefined;
      limit?: number | undefined;
    }): Promise<OutboundPaymentView[]> {
      const agent = input.name ? await get(input.name) : null;
      const limit = Math.min(Math.max(input.limit ?? 50, 1), 500);
      const rows = await repo.listOutbound({ ...(agent ? { agentId: agent.id } : {}), limit });
      return rows.map((row) => ({
        id: row.id,
        agent: row.agentName,
        direction: row.direction,
        url: row.url,
        network: row.network,
        asset: row.asset,
        payTo: row.payTo,
        amount: row.amount.toString(),
        state: row.state,
        reason: row.reason,
        txHash: row.txHash,
        createdAt: row.createdAt.toISOString(),
      }));
    },

    /** The agent with this name, or null (agent-backed offers and the runtime use it). */
    findAgent: (name: string): Promise<Agent | null> => repo.findByName(name),

    /** An agent's wallet key: for the outbound payer only, never a client. */
    async getWalletKey(agent: Agent): Promise<string> {
      const key = await secrets.get(agent.walletSecretId);
      if (!key) {
        throw new TollgateError("NOT_READY", `Agent "${agent.name}" has no wallet key on this box`, {
          hint: "Import the bundle it came from with --passphrase-file",
        });
      }
      return key;
    },
  };
}

export type AgentsService = ReturnType<typeof createAgentsService>;
