import {
  type ChainRuntime,
  type EventPublisher,
  isServing,
  type OfferWithConditions,
  type SecretStore,
} from "@tollgate/core";
import type { ChainName } from "@tollgate/core/chains/index";
import { isChainName } from "@tollgate/core/chains/index";
import { isOperationallyReady } from "@tollgate/core/discovery/index";
import {
  buildAgentUri,
  type IdentityFields,
  type IdentityRecord,
  type IdentityRepository,
  isRegisteredIn,
  offChainRecheckMs,
  registrationBackoffMs,
} from "@tollgate/core/identity/index";
import { type Address, type Hex, isHex } from "viem";
import { createIdentityRegistryClient, type IdentityRegistryClient } from "./identity-registry-client.ts";

/** The log calls the registrar makes (a pino logger fits). */
export interface RegistrarLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface Registrar {
  /** Asks for a pass soon; wakes during a pass coalesce into one more pass. */
  wake(): void;
  /** Runs a pass (after the current one) and resolves when it has finished. */
  runOnce(): Promise<void>;
  /** Registers (or finishes, or re-checks) the seller's identity on a chain now, ignoring backoff. */
  registerNow(chain: ChainName): Promise<IdentityRecord | null>;
  stop(): Promise<void>;
}

/** Creates the viem client for a chain (tests may count or fake calls). */
export type RegistryClientFactory = typeof createIdentityRegistryClient;

const insufficientFunds = /insufficient funds|exceeds the balance|gas required exceeds/i;
const short = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split("\n")[0]?.slice(0, 300) ?? "";

/**
 * The ERC-8004 registrar (SPEC §8): keeps one agent per seller per chain. For every chain with an offer
 * that is operationally ready with registration enabled, it mints `register(agentURI)` with the chain's
 * registration signer (setting `registrationSignerSecret` → SecretStore), reads the agent id from the
 * `Registered` event and stores it in the Identity row; without a signer or gas the chain is off-chain only.
 * For minted agents it keeps `tokenURI` equal to `<public base>/.well-known/agent-registration.json` with
 * one `setAgentURI`. A restart never mints again: the row (and `tokenURI` in this registry) says it exists;
 * a transaction's hash is stored before it is sent, so a crash in between is finished, not repeated.
 * Passes never overlap; failures are retried with backoff.
 */
export function createRegistrar({
  identities,
  offers,
  chains,
  secrets,
  getPublicBaseUrl,
  log,
  events,
  clock = () => new Date(),
  resyncMs = 15_000,
  createClient = createIdentityRegistryClient,
  isLeader = () => true,
}: {
  identities: IdentityRepository;
  /** The live offers with their conditions (the reconciler's informer). */
  offers: { list(): Promise<OfferWithConditions[]> };
  chains: ChainRuntime | undefined;
  secrets: SecretStore;
  getPublicBaseUrl: () => Promise<string>;
  log: RegistrarLog;
  /** Told `identity.changed` after an Identity row changed (documents re-render, conditions re-reconcile). */
  events?: EventPublisher;
  clock?: () => Date;
  resyncMs?: number;
  createClient?: RegistryClientFactory;
  /** Several replicas on one ledger: only the leader's registrar mints and updates identities (SPEC §15). */
  isLeader?: () => boolean;
}): Registrar {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const forced = new Set<ChainName>();
  /** Chains whose on-chain tokenURI was checked by this process. */
  const verified = new Set<string>();

  /** Saves a row; audits and notifies only when something a reader sees changed (rechecks stay quiet). */
  async function save(chain: string, fields: IdentityFields, action?: string): Promise<IdentityRecord> {
    const before = await identities.find(chain);
    const seen = (
      r: Pick<IdentityFields, "state" | "agentId" | "agentUri" | "lastTxHash" | "lastError" | "registry">,
    ) => JSON.stringify([r.state, r.agentId, r.agentUri, r.lastTxHash, r.lastError, r.registry]);
    const changed = !before || seen(before) !== seen(fields);
    const saved = await identities.save(chain, fields, action && changed ? { actor: "registrar", action } : undefined);
    if (changed) events?.publish({ type: "identity.changed", chain, at: clock().toISOString() });
    return saved;
  }

  async function signerFor(chain: ChainName): Promise<{ key: Hex | null; reason: string }> {
    const configured = await chains?.get(chain);
    const secretName = configured?.setting.registrationSignerSecret;
    if (!secretName)
      return {
        key: null,
        reason: `no registration signer on ${chain}: set registrationSignerSecret in the chain setting`,
      };
    const key = await secrets.get(secretName);
    if (!key || !isHex(key) || key.length !== 66)
      return { key: null, reason: `the registration signer secret "${secretName}" is not set (or not a private key)` };
    return { key, reason: "" };
  }

  /** Chains that need an identity: a live offer there is operationally ready with registration enabled. */
  async function wantedChains(): Promise<Set<string>> {
    const now = clock();
    const wanted = new Set<string>();
    for (const { offer, conditions } of await offers.list()) {
      if (offer.registration.enabled && isServing(offer, now) && isOperationallyReady(conditions))
        wanted.add(offer.payment.chain);
    }
    return wanted;
  }

  async function syncChain(chain: ChainName, wanted: boolean, force: boolean): Promise<void> {
    const configured = await chains?.get(chain);
    const row = await identities.find(chain);
    if (!configured) return;
    const registry = configured.chain.identityRegistry as Address;
    const base = {
      chainId: configured.chain.chainId,
      registry,
      agentId: null,
      owner: null,
      agentUri: null,
      lastTxHash: null,
      lastError: null,
      attempts: 0,
      nextAttemptAt: null,
    } satisfies Omit<IdentityFields, "state">;
    const agentUri = buildAgentUri(await getPublicBaseUrl());
    const now = clock();

    if (row && isRegisteredIn(row, registry)) {
      if (verified.has(chain) && row.agentUri === agentUri && !force) return;
      const { key } = await signerFor(chain);
      const agentId = BigInt(row.agentId as string);
      if (!key) {
        log.warn({ chain, agentId: row.agentId }, "registrar: no signer to check or update the agentURI");
        return;
      }
      const client = createClient({
        rpcUrl: configured.setting.rpcUrl,
        chainId: base.chainId,
        registry,
        privateKey: key,
      });
      const onChain = await client.readTokenUri(agentId);
      if (onChain === null) {
        log.warn(
          { chain, agentId: row.agentId, registry },
          "registrar: the stored agent does not exist on chain; registering anew",
        );
      } else {
        if (onChain !== agentUri) {
          const receipt = await client.setAgentUri(agentId, agentUri, async (txHash) => {
            await identities.save(chain, { ...rowFields(row), lastTxHash: txHash });
          });
          if (receipt.status !== "success") throw new Error(`setAgentURI reverted (${receipt.txHash})`);
          log.info({ chain, agentId: row.agentId, agentUri, txHash: receipt.txHash }, "registrar: agentURI updated");
          await save(
            chain,
            { ...rowFields(row), agentUri, lastTxHash: receipt.txHash, lastError: null },
            "identity.setAgentURI",
          );
        } else if (row.agentUri !== agentUri) {
          await save(chain, { ...rowFields(row), agentUri });
        }
        if (!verified.has(chain)) log.info({ chain, agentId: row.agentId }, "registrar: agentURI checked on chain");
        verified.add(chain);
        return;
      }
    } else if (row?.state === "registered") {
      log.warn(
        { chain, registry: row.registry, now: registry },
        "registrar: the chain's registry changed; registering anew",
      );
    }

    // Not minted (in this registry).
    const stale = row && row.registry.toLowerCase() !== registry.toLowerCase();
    const current = row && !stale && row.state !== "registered" ? row : null;
    const pendingTx = current?.state === "pending" ? current.lastTxHash : null;
    if (!wanted && !force && !pendingTx) return;
    if (!force && current?.state === "failed" && current.nextAttemptAt && current.nextAttemptAt > now) return;
    if (
      !force &&
      current?.state === "off_chain_only" &&
      now.getTime() - current.updatedAt.getTime() < offChainRecheckMs
    )
      return;

    const { key, reason } = await signerFor(chain);
    if (!key) {
      if (current?.state !== "off_chain_only" || current.lastError !== reason) {
        log.warn({ chain, reason }, "registrar: off-chain only");
        await save(chain, { ...base, state: "off_chain_only", lastError: reason }, "identity.offChainOnly");
      } else await save(chain, { ...rowFields(current) });
      return;
    }
    const client = createClient({
      rpcUrl: configured.setting.rpcUrl,
      chainId: base.chainId,
      registry,
      privateKey: key,
    });
    const attempts = (current?.attempts ?? 0) + 1;
    try {
      if (pendingTx && isHex(pendingTx)) {
        const found = await client.findReceipt(pendingTx);
        if (found !== "unknown") {
          const receipt = found ?? (await waitAfterRestart(client, pendingTx));
          if (receipt?.status === "success" && receipt.agentId !== null) {
            await finish(chain, base, client.signer, agentUri, receipt.agentId, receipt.txHash);
            return;
          }
        }
        // Never landed (or reverted): send a new one below.
      }
      const balance = await client.getBalance();
      if (balance === 0n) {
        const why = `the registration signer ${client.signer} has no gas (native balance 0) on ${chain}`;
        await save(
          chain,
          { ...base, owner: client.signer, state: "off_chain_only", lastError: why },
          "identity.offChainOnly",
        );
        log.warn({ chain, signer: client.signer }, "registrar: signer has no gas; off-chain only");
        return;
      }
      await save(chain, { ...base, owner: client.signer, state: "pending", attempts });
      const receipt = await client.register(agentUri, async (txHash) => {
        await save(chain, { ...base, owner: client.signer, state: "pending", lastTxHash: txHash, attempts });
      });
      if (receipt.status !== "success" || receipt.agentId === null)
        throw new Error(
          `register transaction ${receipt.txHash} ${receipt.status === "success" ? "emitted no Registered event" : "reverted"}`,
        );
      await finish(chain, base, client.signer, agentUri, receipt.agentId, receipt.txHash);
    } catch (error) {
      const message = short(error);
      if (insufficientFunds.test(message)) {
        await save(
          chain,
          {
            ...base,
            owner: client.signer,
            state: "off_chain_only",
            lastError: `the registration signer ${client.signer} cannot pay gas on ${chain}: ${message}`,
          },
          "identity.offChainOnly",
        );
        return;
      }
      const nextAttemptAt = new Date(clock().getTime() + registrationBackoffMs(attempts));
      log.error({ chain, err: error, attempts, nextAttemptAt }, "registrar: registration failed");
      await save(
        chain,
        { ...base, owner: client.signer, state: "failed", lastError: message, attempts, nextAttemptAt },
        "identity.failed",
      );
    }
  }

  async function waitAfterRestart(client: IdentityRegistryClient, txHash: Hex) {
    for (let i = 0; i < 30; i += 1) {
      const found = await client.findReceipt(txHash);
      if (found !== null) return found === "unknown" ? null : found;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    return null;
  }

  async function finish(
    chain: string,
    base: Omit<IdentityFields, "state">,
    owner: string,
    agentUri: string,
    agentId: bigint,
    txHash: string,
  ): Promise<void> {
    await save(
      chain,
      { ...base, agentId: agentId.toString(), owner, agentUri, lastTxHash: txHash, state: "registered" },
      "identity.register",
    );
    verified.add(chain);
    log.info({ chain, agentId: agentId.toString(), agentUri, txHash }, "registrar: agent registered");
  }

  async function pass(): Promise<void> {
    // Several replicas on one ledger: only the leader mints, so each identity is minted once (SPEC §15).
    if (!isLeader()) return;
    const wanted = await wantedChains();
    const rows = await identities.list();
    const names = new Set<string>([...wanted, ...rows.map((r) => r.chain), ...forced]);
    const force = new Set(forced);
    forced.clear();
    for (const name of names) {
      if (!isChainName(name)) continue;
      try {
        await syncChain(name, wanted.has(name), force.has(name));
      } catch (error) {
        log.error({ chain: name, err: error }, "registrar: pass failed for chain");
      }
    }
  }

  function scheduleTimer(): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void schedule(), resyncMs);
    timer.unref?.();
  }

  function schedule(): Promise<void> {
    if (stopped) return inFlight ?? Promise.resolve();
    if (!inFlight) {
      inFlight = pass()
        .catch((error) => log.error({ err: error }, "registrar: pass failed"))
        .finally(() => {
          inFlight = null;
          scheduleTimer();
        });
      return inFlight;
    }
    queued ??= inFlight.then(() => {
      queued = null;
      return schedule();
    });
    return queued;
  }

  return {
    wake: () => void schedule(),
    runOnce: () => schedule(),
    async registerNow(chain) {
      forced.add(chain);
      await schedule();
      // A pass already running when we asked did not see the force; the queued one did.
      if (forced.has(chain)) await schedule();
      return identities.find(chain);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

function rowFields(row: IdentityRecord): IdentityFields {
  const { chain: _chain, updatedAt: _updatedAt, ...fields } = row;
  return fields;
}
