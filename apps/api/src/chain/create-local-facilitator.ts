import type { Facilitator } from "@tollgate/core/facilitator/index";
import { checkFacilitatorHealth } from "@tollgate/core/facilitator/index";
import { x402Facilitator } from "@x402/core/facilitator";
import type { Network, PaymentPayload, PaymentRequirements, SupportedResponse, VerifyResponse } from "@x402/core/types";
import { type ExactEvmPayloadV2, isEIP3009Payload, toFacilitatorEvmSigner } from "@x402/evm";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  isAddressEqual,
  nonceManager,
  publicActions,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createBlockWatcher } from "./create-block-watcher.ts";
import { createRpcFetch } from "./create-rpc-fetch.ts";
import {
  createSettlementEngine,
  encodeTransferWithAuthorization,
  type SettlementItem,
  settlementReasons,
} from "./create-settlement-engine.ts";
import { MULTICALL3_ADDRESS } from "./deploy-devnet-contracts.ts";
import { createSerialQueue } from "./serial-queue.ts";
import { viemChainFor } from "./viem-chain-for.ts";

export interface LocalFacilitatorOptions {
  rpcUrl: string;
  chainId: number;
  /** The gas account's key: it submits settlement transactions. */
  privateKey: Hex;
  /** More gas accounts: batches are spread over all of them (one writer each). */
  extraPrivateKeys?: readonly Hex[];
  /** How long a settlement waits for its receipt before reporting `settlement_pending`. */
  confirmationTimeoutMs?: number;
  /** How often the block watcher asks for the head while settlements wait (default: 20 ms on the devnet, else 500). */
  pollIntervalMs?: number;
  /** Authorizations arriving within this window settle in one transaction. */
  batchWindowMs?: number;
  maxBatchSize?: number;
  /** A transaction not mined after this long is replaced at the same nonce with a higher fee. */
  stuckAfterMs?: number;
  onError?: (error: unknown, context: string) => void;
}

const CODE_CACHE_MS = 10_000;

/**
 * The in-process x402 facilitator of one chain. Verification of an EIP-3009 payment is one batched simulation
 * after the free checks (`verifyFast`); everything else, and every refusal, is the official `exact` EVM scheme
 * (`x402Facilitator` + `registerExactEvmScheme`) over a signer whose chain reads are batched: concurrent
 * verifications' reads travel as one JSON-RPC batch, and a payer's code is cached for a few seconds. Settlement of
 * EIP-3009 authorizations goes through the settlement engine (batched, pipelined, local nonces, one block
 * watcher); anything else (Permit2) falls back to the official scheme's settle, serialized on the gas account.
 */
export function createLocalFacilitator({
  rpcUrl,
  chainId,
  privateKey,
  extraPrivateKeys = [],
  confirmationTimeoutMs = 30_000,
  pollIntervalMs = chainId === 31337 ? 20 : 500,
  batchWindowMs,
  maxBatchSize,
  stuckAfterMs,
  onError = () => {},
}: LocalFacilitatorOptions): Facilitator & { address: Address; network: Network; close(): void } {
  const network: Network = `eip155:${chainId}`;
  const chain = {
    ...viemChainFor(chainId, rpcUrl),
    contracts: { multicall3: { address: MULTICALL3_ADDRESS } },
  };
  // JSON-RPC over node:http keep-alive sockets, not the global fetch: a fraction of the CPU per call.
  const rpc = createRpcFetch();
  const { fetchFn } = rpc;
  const client = createPublicClient({ chain, transport: http(rpcUrl, { fetchFn }) });
  // Reads of concurrent verifications (simulations, code) share one HTTP request as a JSON-RPC batch. Not one
  // Multicall3 eth_call: its calls share state, so a simulation would see the others' effects.
  const batchedReads = createPublicClient({ chain, transport: http(rpcUrl, { batch: { wait: 1 }, fetchFn }) });
  const hasMulticall = client
    .getCode({ address: MULTICALL3_ADDRESS })
    .then((code) => (code ?? "0x") !== "0x")
    .catch(() => false);

  const account = privateKeyToAccount(privateKey, { nonceManager });
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl, { fetchFn }) }).extend(publicActions);
  const fallbackSubmissions = createSerialQueue();
  const codeCache = new Map<string, { code: Hex | undefined; at: number }>();
  const getCode = async ({ address }: { address: Address }) => {
    const key = address.toLowerCase();
    const cached = codeCache.get(key);
    if (cached && Date.now() - cached.at < CODE_CACHE_MS) return cached.code;
    const code = await batchedReads.getCode({ address });
    codeCache.set(key, { code, at: Date.now() });
    return code;
  };

  const signer = toFacilitatorEvmSigner(
    {
      address: account.address,
      readContract: (args) => batchedReads.readContract(args as Parameters<typeof client.readContract>[0]),
      verifyTypedData: (args) => client.verifyTypedData(args as Parameters<typeof client.verifyTypedData>[0]),
      writeContract: (args) =>
        fallbackSubmissions.run(() => wallet.writeContract(args as Parameters<typeof wallet.writeContract>[0])),
      sendTransaction: (args) => fallbackSubmissions.run(() => wallet.sendTransaction(args)),
      waitForTransactionReceipt: (args) => wallet.waitForTransactionReceipt(args),
      getCode,
    },
    { confirmationTimeoutMs },
  );
  const facilitator = new x402Facilitator();
  registerExactEvmScheme(facilitator, { signer, networks: network, simulateInSettle: true });

  const watcher = createBlockWatcher({
    client: batchedReads,
    soloClient: client,
    pollIntervalMs,
    // The devnet mines each transaction right after it answers the broadcast: a first lookup that came too soon
    // is repeated within milliseconds rather than after a head poll.
    recheckMs: chainId === 31337 ? [1, 2, 4, 8] : [],
    onError: (error) => onError(error, "block watcher"),
  });
  const engine = hasMulticall.then((available) =>
    createSettlementEngine({
      network,
      chain,
      client,
      accounts: [privateKey, ...extraPrivateKeys].map((key) => privateKeyToAccount(key)),
      watcher,
      multicall3: available ? MULTICALL3_ADDRESS : null,
      confirmationTimeoutMs,
      ...(batchWindowMs !== undefined ? { batchWindowMs } : {}),
      ...(maxBatchSize !== undefined ? { maxBatchSize } : {}),
      ...(stuckAfterMs !== undefined ? { stuckAfterMs } : {}),
      onError,
    }),
  );

  /** Simulations under way (a lone one skips the batch's timer). */
  let simulating = 0;
  /** Call data simulated at verification, reused when the same payment settles (no second encoding). */
  const verifiedCallData = new WeakMap<PaymentPayload, Hex>();

  /** The engine's item for an EIP-3009 `exact` payment that matches its requirements, else null. */
  const engineItem = (payload: PaymentPayload, requirements: PaymentRequirements): SettlementItem | null => {
    const inner = payload.payload as unknown as ExactEvmPayloadV2;
    if (requirements.scheme !== "exact" || requirements.network !== network || !isEIP3009Payload(inner)) return null;
    if (payload.accepted.network !== network) return null;
    const { authorization, signature } = inner;
    if (!signature) return null;
    const callData = verifiedCallData.get(payload);
    return {
      token: getAddress(requirements.asset),
      authorization: {
        from: getAddress(authorization.from),
        to: getAddress(authorization.to),
        value: authorization.value,
        validAfter: authorization.validAfter,
        validBefore: authorization.validBefore,
        nonce: authorization.nonce as Hex,
      },
      signature: signature as Hex,
      ...(callData ? { callData } : {}),
    };
  };

  /**
   * The happy path of the `exact` scheme's EIP-3009 verification, at the cost of one batched chain read: the
   * rules that cost nothing (scheme, network, EIP-712 domain given, payee, amount, time window) are checked here,
   * and one simulation of `transferWithAuthorization` on the token (an `eth_call`) checks the rest where they
   * are enforced: the signature (ecrecover or ERC-1271 in the token, against the token's own domain), the
   * authorization nonce still unused and the balance. It skips the official verifier's second signature check in
   * JavaScript (an ECDSA public-key recovery per payment, the gateway's largest CPU cost under load). Anything
   * else (a rule broken, the simulation reverting, a longer signature such as ERC-6492) returns null and gets the
   * official verification, so a refusal carries exactly its reason and message.
   */
  const verifyFast = async (
    payload: PaymentPayload,
    requirements: PaymentRequirements,
  ): Promise<VerifyResponse | null> => {
    const item = engineItem(payload, requirements);
    if (!item || payload.accepted.scheme !== "exact" || item.signature.length !== 132) return null;
    const { authorization: a } = item;
    const now = BigInt(Math.floor(Date.now() / 1000));
    if (
      typeof requirements.extra?.name !== "string" ||
      typeof requirements.extra?.version !== "string" ||
      !isAddressEqual(a.to, getAddress(requirements.payTo)) ||
      BigInt(a.value) !== BigInt(requirements.amount) ||
      BigInt(a.validBefore) < now + 6n ||
      BigInt(a.validAfter) > now
    ) {
      return null;
    }
    let data: Hex;
    try {
      // A malformed signature (a v byte viem cannot parse) is the official verifier's to refuse, never a 503.
      data = encodeTransferWithAuthorization(item);
      // A call to an address without code "succeeds" too: the asset must be a contract.
      // Alone, the simulation goes out at once; with others under way it joins their JSON-RPC batch.
      const reader = simulating > 0 ? batchedReads : client;
      simulating += 1;
      const [code] = await Promise.all([
        getCode({ address: item.token }),
        reader.call({ to: item.token, data }),
      ]).finally(() => {
        simulating -= 1;
      });
      if ((code ?? "0x") === "0x") return null;
    } catch {
      return null;
    }
    verifiedCallData.set(payload, data);
    return { isValid: true, payer: a.from };
  };

  // v1 kinds carry legacy network names ("base-sepolia"), which the v2 type does not describe.
  const getSupported = async () => facilitator.getSupported() as SupportedResponse;
  return {
    kind: "local",
    label: "local",
    address: account.address,
    network,
    verify: async (payload, requirements) =>
      (await verifyFast(payload, requirements)) ?? facilitator.verify(payload, requirements),
    async settle(payload, requirements, hooks) {
      const item = engineItem(payload, requirements);
      if (!item) return facilitator.settle(payload, requirements);
      // The engine re-checks what costs nothing (payee, amount, time window); the chain checks the signature.
      if (
        !isAddressEqual(item.authorization.to, getAddress(requirements.payTo)) ||
        BigInt(item.authorization.value) !== BigInt(requirements.amount)
      ) {
        return {
          success: false,
          errorReason: settlementReasons.transactionFailed,
          errorMessage: "The authorization does not pay these requirements",
          transaction: "",
          network,
          payer: item.authorization.from,
        };
      }
      return (await engine).settle(item, hooks);
    },
    // EIP-3009 payments settle through the engine, which awaits `beforeBroadcast` for every transaction.
    recordsBeforeSettling: (payload, requirements) => engineItem(payload, requirements) !== null,
    getSupported,
    checkHealth: (target) => checkFacilitatorHealth({ getSupported, network: target }),
    close() {
      void engine.then((running) => running.stop());
      rpc.close();
    },
  };
}
