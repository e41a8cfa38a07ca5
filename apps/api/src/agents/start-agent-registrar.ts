import {
  type Agent,
  type AgentIdentity,
  type AgentIdentityRepository,
  agentRegistrationPath,
  type ChainRuntime,
  type OfferWithConditions,
  type SecretStore,
} from "@tollgate/core";
import type { ChainName } from "@tollgate/core/chains/index";
import { type Address, createWalletClient, type Hex, http, isHex, parseEther, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { viemChainFor } from "../chain/viem-chain-for.ts";
import { createIdentityRegistryClient } from "../identity/identity-registry-client.ts";
import type { Logger } from "../logger.ts";

/** Below this native balance the agent gets gas from the chain's registration signer before it registers. */
const minGas = parseEther("0.002");
const gasTopUp = parseEther("0.01");

/**
 * Registers each agent sold on a chain as its OWN ERC-8004 identity there (SPEC §13), signed by the agent's
 * wallet so the agent owns the token. Where the agent has no gas, the chain's registration signer (the
 * seller's gas account) first sends it a little native gas; the agent then calls `register` itself.
 * Exactly one identity per agent and chain: the row (with the tx hash, written before the transaction is
 * sent) survives restarts and imports; a pending row is resolved from its receipt, never re-minted blindly.
 * Runs never overlap; `wake` coalesces.
 */
export function startAgentRegistrar({
  agents,
  offers,
  identities,
  chains,
  secrets,
  getWalletKey,
  getPublicBaseUrl,
  isLeader = () => true,
  log,
}: {
  agents: { list(): Promise<Agent[]> };
  offers: { list(): Promise<OfferWithConditions[]> };
  identities: AgentIdentityRepository;
  chains: ChainRuntime;
  secrets: SecretStore;
  getWalletKey: (agent: Agent) => Promise<string>;
  getPublicBaseUrl: () => Promise<string>;
  isLeader?: () => boolean;
  log: Logger;
}) {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  async function fundGas(chain: ChainName, rpcUrl: string, chainId: number, to: Address): Promise<void> {
    const configured = await chains.get(chain);
    const secretName = configured?.setting.registrationSignerSecret;
    const key = secretName ? await secrets.get(secretName) : null;
    if (!key || !isHex(key) || key.length !== 66) {
      throw new Error(
        `the agent ${to} has no gas on ${chain} and the chain has no registration signer to send it some`,
      );
    }
    const wallet = createWalletClient({
      account: privateKeyToAccount(key),
      chain: viemChainFor(chainId, rpcUrl),
      transport: http(rpcUrl),
    }).extend(publicActions);
    const hash = await wallet.sendTransaction({ to, value: gasTopUp });
    await wallet.waitForTransactionReceipt({ hash });
  }

  async function ensure(agent: Agent, chain: ChainName): Promise<void> {
    const configured = await chains.get(chain);
    if (!configured) return;
    const registry = configured.chain.identityRegistry as Address | undefined;
    if (!registry) return;
    const { rpcUrl } = configured.setting;
    const chainId = configured.chain.chainId;
    const row = await identities.find(agent.id, chain);
    if (row?.state === "registered" && row.registry.toLowerCase() === registry.toLowerCase()) return;
    const client = createIdentityRegistryClient({
      rpcUrl,
      chainId,
      registry,
      privateKey: (await getWalletKey(agent)) as Hex,
    });
    const agentUri = `${(await getPublicBaseUrl()).replace(/\/+$/, "")}${agentRegistrationPath(agent.name)}`;
    const base: AgentIdentity = {
      agentId: agent.id,
      chain,
      chainId,
      registry,
      tokenId: null,
      owner: agent.walletAddress,
      agentUri,
      state: "pending",
      txHash: null,
      lastError: null,
    };
    // A transaction sent before a crash: its receipt decides; it is never sent twice.
    if (row?.state === "pending" && row.txHash) {
      const receipt = await client.findReceipt(row.txHash as Hex);
      if (receipt === null) return;
      if (receipt !== "unknown" && receipt.status === "success") {
        await identities.save({ ...row, state: "registered", tokenId: receipt.agentId?.toString() ?? null });
        return;
      }
    }
    if ((await client.getBalance()) < minGas) await fundGas(chain, rpcUrl, chainId, agent.walletAddress as Address);
    await identities.save(base);
    const receipt = await client.register(agentUri, (txHash) => identities.save({ ...base, txHash }));
    if (receipt.status !== "success" || receipt.agentId === null) {
      await identities.save({ ...base, txHash: receipt.txHash, state: "failed", lastError: "register reverted" });
      return;
    }
    await identities.save({
      ...base,
      txHash: receipt.txHash,
      state: "registered",
      tokenId: receipt.agentId.toString(),
    });
    log.info({ agent: agent.name, chain, tokenId: receipt.agentId.toString() }, "agent registered (ERC-8004)");
  }

  async function sync(): Promise<void> {
    if (!isLeader()) return;
    const byId = new Map((await agents.list()).map((a) => [a.id, a]));
    const wanted = new Set<string>();
    for (const { offer } of await offers.list()) {
      if (offer.type !== "agent" || !offer.agentId || offer.state !== "active" || !offer.registration.enabled) continue;
      wanted.add(`${offer.agentId} ${offer.payment.chain}`);
    }
    for (const pair of wanted) {
      const [agentId = "", chain = ""] = pair.split(" ");
      const agent = byId.get(agentId);
      if (!agent || stopped) continue;
      try {
        await ensure(agent, chain as ChainName);
      } catch (error) {
        log.warn({ agent: agent.name, chain, err: error }, "agent registration failed; retried on the next change");
        const row = await identities.find(agent.id, chain);
        if (row && row.state !== "registered") {
          await identities.save({ ...row, state: row.txHash ? row.state : "failed", lastError: String(error) });
        }
      }
    }
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = sync()
      .catch((error: unknown) => log.error({ err: error }, "agent registrar run failed"))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  wake();
  return {
    wake,
    /** Waits for the current run (tests and `agents show` after a change). */
    settle: async () => {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}
