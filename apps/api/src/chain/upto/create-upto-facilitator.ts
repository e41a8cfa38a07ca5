import type { Facilitator } from "@tollgate/core/facilitator/index";
import { checkFacilitatorHealth } from "@tollgate/core/facilitator/index";
import { x402Facilitator } from "@x402/core/facilitator";
import type { Network, SupportedResponse } from "@x402/core/types";
import { toFacilitatorEvmSigner } from "@x402/evm";
import { UptoEvmScheme } from "@x402/evm/upto/facilitator";
import { type Address, createWalletClient, type Hex, http, nonceManager, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSerialQueue } from "../serial-queue.ts";
import { viemChainFor } from "../viem-chain-for.ts";

/** An upto facilitator: the official one, plus what the requirements' `extra` needs from it. */
export type UptoFacilitator = Facilitator & {
  address: Address;
  network: Network;
  /** `extra` of the upto kind in `/supported` (the facilitator address the buyer's witness binds). */
  extra(): Record<string, unknown>;
};

/**
 * The official x402 `upto` facilitator (`@x402/evm/upto/facilitator`) in-process, paying gas from its own
 * account (not the exact facilitator's, so the two never race for nonces). Its transactions go through a
 * serial queue with viem's nonce manager.
 */
export function createUptoFacilitator({
  rpcUrl,
  chainId,
  privateKey,
}: {
  rpcUrl: string;
  chainId: number;
  privateKey: Hex;
}): UptoFacilitator {
  const network: Network = `eip155:${chainId}`;
  const account = privateKeyToAccount(privateKey, { nonceManager });
  const wallet = createWalletClient({ account, chain: viemChainFor(chainId, rpcUrl), transport: http(rpcUrl) }).extend(
    publicActions,
  );
  const submissions = createSerialQueue();
  // `address` matters: without it `/supported` carries no facilitatorAddress and clients cannot sign.
  const signer = toFacilitatorEvmSigner({
    address: account.address,
    readContract: (args) => wallet.readContract(args as Parameters<typeof wallet.readContract>[0]),
    verifyTypedData: (args) => wallet.verifyTypedData(args as Parameters<typeof wallet.verifyTypedData>[0]),
    writeContract: (args) =>
      submissions.run(() => wallet.writeContract(args as Parameters<typeof wallet.writeContract>[0])),
    sendTransaction: (args) => submissions.run(() => wallet.sendTransaction(args)),
    waitForTransactionReceipt: (args) => wallet.waitForTransactionReceipt(args),
    getCode: (args) => wallet.getCode(args),
  });
  const scheme = new UptoEvmScheme(signer);
  const facilitator = new x402Facilitator();
  facilitator.register(network, scheme);
  const getSupported = async () => facilitator.getSupported() as SupportedResponse;
  return {
    kind: "local",
    label: "local-upto",
    address: account.address,
    network,
    extra: () => scheme.getExtra(network) ?? {},
    verify: (payload, requirements) => facilitator.verify(payload, requirements),
    settle: (payload, requirements) => facilitator.settle(payload, requirements),
    getSupported,
    checkHealth: (target) => checkFacilitatorHealth({ getSupported, network: target }),
  };
}
