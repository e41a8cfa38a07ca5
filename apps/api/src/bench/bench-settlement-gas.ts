// `pnpm bench:settlement-gas`: what one EIP-3009 payment costs on chain, by batch size, read from receipts on the
// devnet. For n = 1, 2, 4, … distinct authorizations (one buyer, one seller, as in `pnpm bench:settlement`) it
// sends one transaction and prints gasUsed, gas per payment and the marginal gas of one more item.
import { x402Client } from "@x402/core/client";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import type { ExactEIP3009Payload } from "@x402/evm";
import { createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  encodeTransferWithAuthorization,
  multicall3Abi,
  type SettlementItem,
} from "../chain/create-settlement-engine.ts";
import { MULTICALL3_ADDRESS } from "../chain/deploy-devnet-contracts.ts";
import { devnetChain } from "../chain/devnet-chain.ts";
import { startTestDevnet } from "../chain/testing/start-test-devnet.ts";
import { encodeFunctionData } from "viem";

const SIZES = [1, 2, 4, 8, 16, 32, 64];
const { devnet, cleanup } = await startTestDevnet();
try {
  const chain = devnetChain(devnet.rpcUrl);
  const client = createPublicClient({ chain, transport: http(devnet.rpcUrl) });
  const wallet = createWalletClient({
    account: privateKeyToAccount(devnet.accounts.facilitator.privateKey),
    chain,
    transport: http(devnet.rpcUrl),
  });
  const buyer = x402Client.fromConfig({
    schemes: [
      { network: "eip155:31337", client: new ExactEvmScheme(privateKeyToAccount(devnet.accounts.buyer.privateKey)) },
    ],
    spendControls: false,
  });
  const requirements = {
    scheme: "exact",
    network: "eip155:31337",
    asset: devnet.usdc,
    amount: "10000",
    payTo: devnet.accounts.seller.address,
    maxTimeoutSeconds: 300,
    extra: { name: "USDC", version: "2" },
  } as const;
  const sign = async (): Promise<SettlementItem> => {
    const payload = await buyer.createPaymentPayload({
      x402Version: 2,
      resource: { url: "http://bench/", description: "", mimeType: "" },
      accepts: [requirements],
    } as never);
    const inner = payload.payload as unknown as ExactEIP3009Payload;
    return { token: devnet.usdc, authorization: inner.authorization as never, signature: inner.signature as Hex };
  };
  /** gasUsed of each call into the token inside a batch (anvil's call tracer): the part no batching removes. */
  const tokenCallGas = async (hash: Hex): Promise<number[]> => {
    const trace = (await client.request({
      method: "debug_traceTransaction" as never,
      params: [hash, { tracer: "callTracer" }] as never,
    })) as { calls?: { to: string; gasUsed: string }[] };
    return (trace.calls ?? [])
      .filter((call) => call.to.toLowerCase() === devnet.usdc.toLowerCase())
      .map((call) => Number(BigInt(call.gasUsed)));
  };
  let inner: number[] = [];
  const rows: string[] = [];
  let previous: { n: number; gas: bigint } | null = null;
  for (const n of SIZES) {
    const items = await Promise.all(Array.from({ length: n }, sign));
    const call =
      n === 1
        ? { to: devnet.usdc, data: encodeTransferWithAuthorization(items[0] as SettlementItem) }
        : {
            to: MULTICALL3_ADDRESS,
            data: encodeFunctionData({
              abi: multicall3Abi,
              functionName: "aggregate3",
              args: [
                items.map((item) => ({
                  target: item.token,
                  allowFailure: true,
                  callData: encodeTransferWithAuthorization(item),
                })),
              ],
            }),
          };
    const hash = await wallet.sendTransaction({ ...call, gas: 30_000_000n });
    const receipt = await client.waitForTransactionReceipt({ hash });
    const calldata = (call.data.length - 2) / 2;
    const marginal = previous ? Number(receipt.gasUsed - previous.gas) / (n - previous.n) : Number.NaN;
    rows.push(
      [
        n,
        receipt.gasUsed,
        (Number(receipt.gasUsed) / n).toFixed(0),
        Number.isNaN(marginal) ? "-" : marginal.toFixed(0),
        calldata,
        receipt.logs.length,
      ].join("\t"),
    );
    previous = { n, gas: receipt.gasUsed };
    if (n === SIZES.at(-1)) inner = await tokenCallGas(hash);
  }
  const sorted = [...inner].sort((a, b) => a - b);
  process.stdout.write(
    `token calls inside the ${SIZES.at(-1)}-item batch (call tracer gasUsed): first ${inner[0]}, median ${sorted[Math.floor(sorted.length / 2)]}, min ${sorted[0]}\n`,
  );
  process.stdout.write(`items\tgasUsed\tgas/item\tmarginal\tcalldata bytes\tlogs\n${rows.join("\n")}\n`);
} finally {
  await cleanup();
}
