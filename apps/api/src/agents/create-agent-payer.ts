import {
  type Agent,
  type AgentBalance,
  type AgentFundResult,
  type AgentPayResult,
  type AgentRepository,
  type FundAgentInput,
  fundAgentInputSchema,
  type PayAsAgentInput,
  payAsAgentInputSchema,
  TollgateError,
} from "@tollgate/core";
import type { DevnetInfo } from "@tollgate/core/chains/index";
import { parseInput } from "@tollgate/core/offers/parse-input";
import { toAtomicAmount } from "@tollgate/core/pricing/to-atomic-amount";
import { x402Client, x402HTTPClient } from "@x402/core/client";
import type { PaymentRequired, PaymentRequirements } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { type Address, createPublicClient, createWalletClient, erc20Abi, type Hex, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const maxBodyChars = 64 * 1024;
/** Gas sent with `agents fund` on the devnet, so the agent can also send its own transactions. */
const gasPerFunding = parseEther("0.01");

/**
 * The outbound payer (SPEC §13 "Agents buy too"): `pay` calls a URL; on a 402 it picks an `exact` EVM
 * requirement, RESERVES the amount against the agent's spend policy in the ledger (one transaction under a
 * lock on the agent's row) and only then signs with the agent's wallet through the official x402 client.
 * Every attempt is an outbound ledger row (refused, or reserved → signed → settled | failed). `fund` moves
 * devnet test USDC and gas from the devnet's buyer account to an agent.
 */
export function createAgentPayer({
  repo,
  listAgents,
  findAgent,
  getWalletKey,
  devnetInfo,
}: {
  repo: AgentRepository;
  listAgents: () => Promise<Agent[]>;
  findAgent: (name: string) => Promise<Agent | null>;
  getWalletKey: (agent: Agent) => Promise<string>;
  devnetInfo: () => Promise<DevnetInfo | null>;
}) {
  async function get(name: string): Promise<Agent> {
    const agent = await findAgent(name);
    if (!agent) throw new TollgateError("NOT_FOUND", `No agent named "${name}"`, { field: "name" });
    return agent;
  }

  const send = (url: string, method: string, data: string | undefined, headers: Record<string, string> = {}) =>
    fetch(url, {
      method,
      headers: { ...(data === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(data === undefined ? {} : { body: data }),
      redirect: "manual",
      signal: AbortSignal.timeout(120_000),
    });

  const readBody = async (res: Response) => (await res.text()).slice(0, maxBodyChars);

  return {
    async pay({ input }: { input: PayAsAgentInput }): Promise<AgentPayResult> {
      const { name, url, method, data } = parseInput(payAsAgentInputSchema, input);
      const agent = await get(name);
      const base = {
        agent: agent.name,
        url,
        paymentId: null,
        reason: null,
        message: null,
        amount: null,
        payTo: null,
        network: null,
        txHash: null,
      };
      const first = await send(url, method, data).catch((error: unknown) => {
        throw new TollgateError("VALIDATION_FAILED", `url: ${url} did not answer (${String(error)})`, { field: "url" });
      });
      if (first.status !== 402) {
        return { ...base, status: first.status, paid: false, state: "none", body: await readBody(first) };
      }
      const httpClient = new x402HTTPClient(new x402Client());
      const firstBody = await first.text();
      let paymentRequired: PaymentRequired;
      try {
        paymentRequired = httpClient.getPaymentRequiredResponse(
          (header) => first.headers.get(header),
          firstBody ? JSON.parse(firstBody) : undefined,
        );
      } catch {
        return { ...base, status: 402, paid: false, state: "none", reason: "invalid_payment_required", body: "" };
      }
      const requirement = paymentRequired.accepts.find(
        (r: PaymentRequirements) => r.scheme === "exact" && r.network.startsWith("eip155:"),
      );
      if (!requirement) {
        return { ...base, status: 402, paid: false, state: "none", reason: "no_supported_requirement", body: "" };
      }
      const attempt = {
        amount: BigInt(requirement.amount),
        network: requirement.network,
        asset: requirement.asset,
        payTo: requirement.payTo,
      };
      const shown = {
        amount: requirement.amount,
        payTo: requirement.payTo,
        network: requirement.network,
      };
      // Checked and reserved in the ledger BEFORE anything is signed.
      const reservation = await repo.reserveOutbound({ agentId: agent.id, url, attempt });
      if (!reservation.ok) {
        return {
          ...base,
          ...shown,
          status: 402,
          paid: false,
          paymentId: reservation.paymentId,
          state: "refused",
          reason: reservation.reason,
          message: reservation.message,
          body: "",
        };
      }
      const paymentId = reservation.paymentId;
      const fail = async (reason: string, status: number, body: string): Promise<AgentPayResult> => {
        await repo.updateOutbound(paymentId, { state: "failed", reason });
        return { ...base, ...shown, status, paid: false, paymentId, state: "failed", reason, body };
      };
      let headers: Record<string, string>;
      try {
        const account = privateKeyToAccount((await getWalletKey(agent)) as Hex);
        const client = x402Client.fromConfig({
          schemes: [{ network: requirement.network as `${string}:${string}`, client: new ExactEvmScheme(account) }],
          spendControls: {
            allowedAssets: [
              {
                network: requirement.network as `${string}:${string}`,
                asset: requirement.asset,
                maxAmountPerPayment: requirement.amount,
              },
            ],
          },
        });
        const signer = new x402HTTPClient(client);
        const payload = await signer.createPaymentPayload({ ...paymentRequired, accepts: [requirement] });
        headers = signer.encodePaymentSignatureHeader(payload);
      } catch (error) {
        return fail(`signing_failed: ${error instanceof Error ? error.message : String(error)}`, 402, "");
      }
      await repo.updateOutbound(paymentId, { state: "signed" });
      // From here the signed authorization has left this box: until the payee says it was not settled, it may
      // still be (a dropped connection, a timeout, an error without a payment response), so the row stays
      // `signed` and keeps its amount reserved against the budget instead of releasing it as `failed`.
      const unknown = async (reason: string, status: number, body: string): Promise<AgentPayResult> => {
        await repo.updateOutbound(paymentId, { state: "signed", reason });
        return { ...base, ...shown, status, paid: false, paymentId, state: "signed", reason, body };
      };
      const paid = await send(url, method, data, headers).catch(() => null);
      if (!paid) return unknown("no_response", 0, "");
      const body = await readBody(paid).catch(() => "");
      let txHash: string | null = null;
      let settled = false;
      let errorReason: string | null = null;
      let answered = true;
      try {
        const settle = httpClient.getPaymentSettleResponse((header) => paid.headers.get(header));
        settled = settle.success;
        txHash = settle.transaction || null;
        errorReason = settle.errorReason ?? null;
      } catch {
        errorReason = `no payment response (status ${paid.status})`;
        // A 402 refuses the payment (nothing settled); any other answer without a payment response says nothing.
        answered = paid.status === 402;
      }
      if (!answered) return unknown(errorReason ?? `status ${paid.status}`, paid.status, body);
      if (!paid.ok || !settled) return fail(errorReason ?? `status ${paid.status}`, paid.status, body);
      await repo.updateOutbound(paymentId, { state: "settled", txHash });
      return { ...base, ...shown, status: paid.status, paid: true, paymentId, state: "settled", txHash, body };
    },

    /** USDC and gas of every agent on the local devnet (null balances when it is not running). */
    async balances(): Promise<AgentBalance[]> {
      const agents = await listAgents();
      const devnet = await devnetInfo().catch(() => null);
      const reader = devnet?.running ? createPublicClient({ transport: http(devnet.rpcUrl) }) : null;
      return Promise.all(
        agents.map(async (agent) => {
          const address = agent.walletAddress as Address;
          const [usdc, gas] = reader
            ? await Promise.all([
                reader.readContract({
                  address: devnet?.usdc as Address,
                  abi: erc20Abi,
                  functionName: "balanceOf",
                  args: [address],
                }),
                reader.getBalance({ address }),
              ]).catch(() => [null, null] as const)
            : ([null, null] as const);
          const floor = agent.policy.dailyBudget ?? 50_000n;
          return {
            agent: agent.name,
            address: agent.walletAddress,
            chain: reader ? "local" : null,
            usdc: usdc === null ? null : usdc.toString(),
            gas: gas === null ? null : gas.toString(),
            low: usdc !== null && gas !== null && (usdc < floor || gas === 0n),
          };
        }),
      );
    },

    async fund({ input }: { input: FundAgentInput }): Promise<AgentFundResult> {
      const { name, amount } = parseInput(fundAgentInputSchema, input);
      const agent = await get(name);
      const devnet = await devnetInfo();
      const buyerKey = devnet?.accounts.buyer.privateKey;
      if (!devnet?.running || !buyerKey) {
        throw new TollgateError("NOT_READY", "Funding moves test USDC on the local devnet, which is not running", {
          hint: `On a real chain, send USDC and gas to the agent's address ${agent.walletAddress}`,
        });
      }
      const atomic = BigInt(toAtomicAmount({ amount, decimals: 6, field: "amount" }));
      const account = privateKeyToAccount(buyerKey as Hex);
      const transport = http(devnet.rpcUrl);
      const chain = {
        id: devnet.chainId,
        name: "Tollgate devnet",
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [devnet.rpcUrl] } },
      } as const;
      const wallet = createWalletClient({ account, chain, transport });
      const reader = createPublicClient({ chain, transport });
      const to = agent.walletAddress as Address;
      const usdcTxHash = await wallet.writeContract({
        address: devnet.usdc as Address,
        abi: erc20Abi,
        functionName: "transfer",
        args: [to, atomic],
      });
      await reader.waitForTransactionReceipt({ hash: usdcTxHash });
      let gasTxHash: Hex | null = null;
      if ((await reader.getBalance({ address: to })) < gasPerFunding) {
        gasTxHash = await wallet.sendTransaction({ to, value: gasPerFunding });
        await reader.waitForTransactionReceipt({ hash: gasTxHash });
      }
      const [usdcBalance, gasBalance] = await Promise.all([
        reader.readContract({ address: devnet.usdc as Address, abi: erc20Abi, functionName: "balanceOf", args: [to] }),
        reader.getBalance({ address: to }),
      ]);
      return {
        agent: agent.name,
        address: agent.walletAddress,
        usdcTxHash,
        gasTxHash,
        usdcBalance: usdcBalance.toString(),
        gasBalance: gasBalance.toString(),
      };
    },
  };
}

export type AgentPayer = ReturnType<typeof createAgentPayer>;
