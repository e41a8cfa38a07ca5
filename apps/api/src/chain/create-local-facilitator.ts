import type { Facilitator } from "@tollgate/core/facilitator/index";
import { checkFacilitatorHealth } from "@tollgate/core/facilitator/index";
import { x402Facilitator } from "@x402/core/facilitator";
import type { Network, SupportedResponse } from "@x402/core/types";
import { toFacilitatorEvmSigner } from "@x402/evm";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import { type Address, createWalletClient, type Hex, http, nonceManager, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSerialQueue } from "./serial-queue.ts";
import { viemChainFor } from "./viem-chain-for.ts";

export interface LocalFacilitatorOptions {
  rpcUrl: string;
  chainId: number;
  /** The gas account's key: it submits every settlement transaction. */
  privateKey: Hex;
  /** How long a settlement waits for its receipt before reporting `settlement_pending`. */
  confirmationTimeoutMs?: number;
}

/**
 * An in-process x402 facilitator (the official `x402Facilitator` with the `exact` EVM scheme) paying gas
 * from one account. Submissions go through a serial queue with viem's nonce manager, so concurrent
 * settlements never race the account's nonce; receipts are awaited in parallel.
 */
export function createLocalFacilitator({
  rpcUrl,
  chainId,
  privateKey,
  confirmationTimeoutMs = 60_000,
}: LocalFacilitatorOptions): Facilitator & { address: Address; network: Network } {
  const network: Network = `eip155:${chainId}`;
  const chain = viemChainFor(chainId, rpcUrl);
  const account = privateKeyToAccount(privateKey, { nonceManager });
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) }).extend(publicActions);
  const submissions = createSerialQueue();

  const signer = toFacilitatorEvmSigner(
    {
      address: account.address,
      readContract: (args) => wallet.readContract(args as Parameters<typeof wallet.readContract>[0]),
      verifyTypedData: (args) => wallet.verifyTypedData(args as Parameters<typeof wallet.verifyTypedData>[0]),
      writeContract: (args) =>
        submissions.run(() => wallet.writeContract(args as Parameters<typeof wallet.writeContract>[0])),
      sendTransaction: (args) => submissions.run(() => wallet.sendTransaction(args)),
      waitForTransactionReceipt: (args) => wallet.waitForTransactionReceipt(args),
      getCode: (args) => wallet.getCode(args),
    },
    { confirmationTimeoutMs },
  );
  const facilitator = new x402Facilitator();
  // simulateInSettle: a replayed or expired authorization is refused before any gas is spent.
  registerExactEvmScheme(facilitator, { signer, networks: network, simulateInSettle: true });

  // v1 kinds carry legacy network names ("base-sepolia"), which the v2 type does not describe.
  const getSupported = async () => facilitator.getSupported() as SupportedResponse;
  return {
    kind: "local",
    label: "local",
    address: account.address,
    network,
    verify: (payload, requirements) => facilitator.verify(payload, requirements),
    settle: (payload, requirements) => facilitator.settle(payload, requirements),
    getSupported,
    checkHealth: (target) => checkFacilitatorHealth({ getSupported, network: target }),
  };
}
