import { createPaymentRepository } from "@tollgate/db";
// The settlement engine behind the gateway, on the devnet with a real ledger: a bad authorization fails only
// itself inside a batch; a gateway killed with a batch in flight leaves nothing pending after the restart; a
// chain that stops mining gets buyers served as `settlement_pending`, settled by recovery once blocks resume.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { encodeBase64Json } from "@tollgate/core/gateway/index";
import type { PublishedRoute } from "@tollgate/core/runtime/route-table";
import { createTestDatabase, type TestDatabase } from "@tollgate/db/testing/test-database";
import { x402Client } from "@x402/core/client";
import { decodePaymentResponseHeader } from "@x402/core/http";
import type { PaymentPayload } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  erc20Abi,
  type Hex,
  http,
  parseSignature,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTargetProcess, stopTargetProcess } from "../bench/target-process.ts";
import { eip3009SettleAbi } from "../chain/create-settlement-engine.ts";
import { devnetChain } from "../chain/devnet-chain.ts";
import type { Devnet } from "../chain/start-devnet.ts";
import { startTestDevnet } from "../chain/testing/start-test-devnet.ts";
import { recoverPendingPayments, startSettlementRecovery } from "./recover-pending-payments.ts";
import { silentLog } from "./testing/start-gateway-fixture.ts";
import { createSettleOffer, type DevnetGatewayConfig, serveDevnetGateway } from "./testing/serve-devnet-gateway.ts";

const PRICE = 10_000n;
const childScript = fileURLToPath(new URL("./testing/run-gateway-process.ts", import.meta.url));

let devnet: Devnet;
let stopDevnet: () => Promise<void>;
let database: TestDatabase;
let upstream: Server;
let upstreamUrl = "";
/** Requests to `/held...` wait here until `release()`. */
let held: (() => void)[] = [];
const release = () => {
  for (const go of held) go();
  held = [];
};
let buyer: x402Client;
const cleanups: (() => Promise<void>)[] = [];

const chain = () => devnetChain(devnet.rpcUrl);
const publicClient = () => createPublicClient({ chain: chain(), transport: http(devnet.rpcUrl) });
const testClient = () => createTestClient({ chain: chain(), mode: "anvil", transport: http(devnet.rpcUrl) });
const balanceOf = (address: Address) =>
  publicClient().readContract({ address: devnet.usdc, abi: erc20Abi, functionName: "balanceOf", args: [address] });

/** A gateway config with its own freshly funded gas account (no two writers ever share one). */
async function freshConfig(facilitator: DevnetGatewayConfig["facilitator"] = {}): Promise<DevnetGatewayConfig> {
  const facilitatorKey = generatePrivateKey();
  await testClient().setBalance({ address: privateKeyToAccount(facilitatorKey).address, value: 10n ** 20n });
  return {
    rpcUrl: devnet.rpcUrl,
    chainId: devnet.chainId,
    usdc: devnet.usdc,
    identityRegistry: devnet.identityRegistry,
    facilitatorKey,
    payTo: devnet.accounts.seller.address,
    upstreamUrl,
    facilitator,
  };
}

async function sign(route: PublishedRoute, count: number): Promise<PaymentPayload[]> {
  const paymentRequired = {
    x402Version: 2,
    resource: { url: "http://127.0.0.1/services/settle", description: "", mimeType: "" },
    accepts: [route.requirements],
  } as never;
  return Promise.all(Array.from({ length: count }, () => buyer.createPaymentPayload(paymentRequired)));
}

const nonceOf = (payload: PaymentPayload) =>
  ((payload.payload as { authorization: { nonce: string } }).authorization.nonce as string).toLowerCase();

async function pay(origin: string, path: string, payload: PaymentPayload) {
  const res = await fetch(`${origin}${path}`, { headers: { "payment-signature": encodeBase64Json(payload) } });
  const body = await res.text();
  const header = res.headers.get("payment-response");
  return { status: res.status, body, receipt: header ? decodePaymentResponseHeader(header) : null };
}

const rowsOf = (payloads: PaymentPayload[]) =>
  database.db.payment.findMany({ where: { nonce: { in: payloads.map(nonceOf) } } });

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  const started = await startTestDevnet();
  devnet = started.devnet;
  stopDevnet = started.cleanup;
  database = await createTestDatabase();
  upstream = createServer((req, res) => {
    req.resume();
    const answer = () => res.writeHead(200, { "content-type": "application/json" }).end('{"hello":"world"}');
    if ((req.url ?? "").startsWith("/held")) held.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  await createSettleOffer(database.db, await freshConfig());
  buyer = x402Client.fromConfig({
    schemes: [
      { network: "eip155:31337", client: new ExactEvmScheme(privateKeyToAccount(devnet.accounts.buyer.privateKey)) },
    ],
    spendControls: { allowedAssets: [{ network: "eip155:31337", asset: devnet.usdc, maxAmountPerPayment: "1000000" }] },
  });
}, 120_000);

afterAll(async () => {
  await testClient()
    .setAutomine(true)
    .catch(() => {});
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  release();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
  await database?.close();
  await stopDevnet?.();
});

describe("settlement engine behind the gateway", () => {
  it("a batch with one authorization used on chain in between: only that request fails (402), the others settle", async () => {
    const gateway = await serveDevnetGateway(database.db, await freshConfig({ batchWindowMs: 150 }));
    cleanups.push(gateway.close);
    expect(
      (await pay(gateway.origin, "/services/settle/warm", (await sign(gateway.route, 1))[0] as PaymentPayload)).status,
    ).toBe(200);

    const buyerBefore = await balanceOf(devnet.accounts.buyer.address);
    const payloads = await sign(gateway.route, 4);
    const responses = Promise.all(payloads.map((payload) => pay(gateway.origin, "/services/settle/held", payload)));
    await until("four verified requests at the upstream", async () => held.length === 4);

    // Between verify and settle, someone submits the second authorization directly on chain.
    const spent = payloads[1]?.payload as { authorization: Record<string, string>; signature: Hex };
    const { v, r, s } = parseSignature(spent.signature);
    const seller = createWalletClient({
      account: privateKeyToAccount(devnet.accounts.seller.privateKey),
      chain: chain(),
      transport: http(devnet.rpcUrl),
    });
    const direct = await seller.writeContract({
      address: devnet.usdc,
      abi: eip3009SettleAbi,
      functionName: "transferWithAuthorization",
      args: [
        spent.authorization.from as Address,
        spent.authorization.to as Address,
        BigInt(spent.authorization.value ?? "0"),
        BigInt(spent.authorization.validAfter ?? "0"),
        BigInt(spent.authorization.validBefore ?? "0"),
        spent.authorization.nonce as Hex,
        Number(v),
        r,
        s,
      ],
    });
    expect((await publicClient().waitForTransactionReceipt({ hash: direct })).status).toBe("success");

    release();
    const results = await responses;
    expect(results.map((r) => r.status)).toEqual([200, 402, 200, 200]);
    expect(JSON.parse(results[1]?.body ?? "{}")).toMatchObject({ reason: "settlement_failed" });
    for (const index of [0, 2, 3]) expect(results[index]?.receipt?.success).toBe(true);

    const rows = await rowsOf(payloads);
    const byNonce = new Map(rows.map((row) => [row.nonce, row]));
    const failed = byNonce.get(nonceOf(payloads[1] as PaymentPayload));
    expect(failed?.state).toBe("settle_failed");
    const settled = [0, 2, 3].map((index) => byNonce.get(nonceOf(payloads[index] as PaymentPayload)));
    expect(settled.map((row) => row?.state)).toEqual(["settled", "settled", "settled"]);
    // One batch: the bad item rode in the same transaction as the others and failed only itself.
    expect(new Set([...settled.map((row) => row?.txHash), failed?.txHash]).size).toBe(1);
    expect(await balanceOf(devnet.accounts.buyer.address)).toBe(buyerBefore - 4n * PRICE);
  }, 120_000);

  it("a verified row gone before settlement (a database crash lost it): nothing is broadcast, the buyer gets 402", async () => {
    const config = await freshConfig();
    const gateway = await serveDevnetGateway(database.db, config);
    cleanups.push(gateway.close);
    const gasAccount = privateKeyToAccount(config.facilitatorKey).address;
    const [payload] = (await sign(gateway.route, 1)) as [PaymentPayload];
    const buyerBefore = await balanceOf(devnet.accounts.buyer.address);
    const sentBefore = await publicClient().getTransactionCount({ address: gasAccount });

    const response = pay(gateway.origin, "/services/settle/held", payload);
    await until("the verified request at the upstream", async () => held.length === 1);
    expect((await database.db.payment.deleteMany({ where: { nonce: nonceOf(payload) } })).count).toBe(1);
    release();
    const result = await response;

    expect(result.status).toBe(402);
    expect(JSON.parse(result.body)).toMatchObject({ reason: "settlement_failed" });
    expect(result.body).not.toContain("hello");
    const { authorization } = payload.payload as { authorization: { from: Address; nonce: Hex } };
    const used = await publicClient().readContract({
      address: devnet.usdc,
      abi: eip3009SettleAbi,
      functionName: "authorizationState",
      args: [authorization.from, authorization.nonce],
    });
    expect(used).toBe(false);
    expect(await publicClient().getTransactionCount({ address: gasAccount })).toBe(sentBefore);
    expect(await balanceOf(devnet.accounts.buyer.address)).toBe(buyerBefore);
  }, 120_000);

  it("mining paused past the confirmation timeout: buyers served with settlement_pending and a tx hash; recovery settles them", async () => {
    const gateway = await serveDevnetGateway(database.db, await freshConfig({ confirmationTimeoutMs: 1_500 }));
    cleanups.push(gateway.close);
    const recovery = startSettlementRecovery({
      payments: createPaymentRepository({ db: database.db }),
      chains: gateway.chains,
      log: silentLog,
      intervalMs: 300,
    });
    cleanups.push(async () => recovery.stop());
    const payloads = await sign(gateway.route, 3);
    const buyerBefore = await balanceOf(devnet.accounts.buyer.address);

    await testClient().setAutomine(false);
    let results: Awaited<ReturnType<typeof pay>>[];
    try {
      results = await Promise.all(payloads.map((payload) => pay(gateway.origin, "/services/settle/paused", payload)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      for (const result of results) {
        expect(JSON.parse(result.body)).toEqual({ hello: "world" });
        expect(result.receipt).toMatchObject({ success: false, errorReason: "settlement_pending" });
        expect(result.receipt?.transaction).toMatch(/^0x[0-9a-f]{64}$/);
      }
      const pendingRows = await rowsOf(payloads);
      expect(pendingRows.map((row) => row.state)).toEqual([
        "settlement_pending",
        "settlement_pending",
        "settlement_pending",
      ]);
      expect(await balanceOf(devnet.accounts.buyer.address)).toBe(buyerBefore);
    } finally {
      // Mining resumes (anvil mines what waits in its pool).
      await testClient().setAutomine(true);
    }
    await testClient().mine({ blocks: 1 });
    const settled = await until("recovery to settle the rows", async () => {
      const rows = await rowsOf(payloads);
      return rows.every((row) => row.state === "settled") && rows;
    });
    for (const row of settled) {
      expect(results.map((r) => r.receipt?.transaction)).toContain(row.txHash);
      expect((await publicClient().getTransactionReceipt({ hash: row.txHash as Hex })).status).toBe("success");
    }
    expect(await balanceOf(devnet.accounts.buyer.address)).toBe(buyerBefore - 3n * PRICE);
  }, 120_000);

  it("a stuck transaction is replaced at the same nonce with a higher fee; the new hash is recorded first and settles", async () => {
    const gateway = await serveDevnetGateway(
      database.db,
      await freshConfig({ stuckAfterMs: 600, confirmationTimeoutMs: 20_000 }),
    );
    cleanups.push(gateway.close);
    const payloads = await sign(gateway.route, 1);
    await testClient().setAutomine(false);
    let first: Hex | undefined;
    let replaced: Hex | undefined;
    let responses: Promise<Awaited<ReturnType<typeof pay>>[]> | undefined;
    try {
      responses = Promise.all(payloads.map((payload) => pay(gateway.origin, "/services/settle/stuck", payload)));
      first = await until("the first hash in the ledger", async () => {
        const rows = await rowsOf(payloads);
        return rows.length === 1 && rows[0]?.txHash ? (rows[0].txHash as Hex) : undefined;
      });
      replaced = await until("a replacement hash in the ledger", async () => {
        const rows = await rowsOf(payloads);
        return rows[0]?.txHash && rows[0].txHash !== first ? (rows[0].txHash as Hex) : undefined;
      });
    } finally {
      await testClient().setAutomine(true);
    }
    await testClient().mine({ blocks: 1 });
    const results = await (responses as Promise<Awaited<ReturnType<typeof pay>>[]>);
    expect(results.map((r) => r.status)).toEqual([200]);
    const mined = results[0]?.receipt?.transaction as Hex;
    expect(results.every((r) => r.receipt?.success && r.receipt.transaction === mined)).toBe(true);
    expect(mined).not.toBe(first);
    const [original, replacement] = await Promise.all([
      publicClient().getTransaction({ hash: replaced as Hex }),
      publicClient().getTransaction({ hash: mined }),
    ]);
    expect(replacement.nonce).toBe(original.nonce);
    expect(replacement.maxFeePerGas ?? 0n).toBeGreaterThanOrEqual(original.maxFeePerGas ?? 0n);
    expect((await rowsOf(payloads)).map((row) => [row.state, row.txHash])).toEqual([["settled", mined]]);
    // The first version never made it into a block.
    await expect(publicClient().getTransactionReceipt({ hash: first as Hex })).rejects.toThrow();
  }, 120_000);

  it("kill -9 with a batch in flight: after the restart every payment is settled or abandoned by the chain, none twice", async () => {
    const config = await freshConfig({ batchWindowMs: 100 });
    const buyerBefore = await balanceOf(devnet.accounts.buyer.address);
    const { route } = await serveDevnetGateway(database.db, config).then(async (probe) => {
      await probe.close();
      return probe;
    });

    /** Starts a gateway process, pays `count` requests with mining paused, and kills it once the batch is in the pool. */
    const crashWithBatchInFlight = async (count: number) => {
      const child = await startTargetProcess(childScript, [database.url, JSON.stringify(config)]);
      cleanups.push(() => stopTargetProcess(child.child));
      const payloads = await sign(route, count);
      await testClient().setAutomine(false);
      const requests = payloads.map((payload) =>
        pay(child.info.url, "/services/settle/crash", payload).catch(() => null),
      );
      // Every row has its batch hash (recorded before the broadcast) and every batch waits in the pool.
      const hashes = await until("the batch hashes recorded and broadcast", async () => {
        const rows = await rowsOf(payloads);
        if (rows.length !== count || rows.some((row) => row.txHash === null)) return undefined;
        const distinct = [...new Set(rows.map((row) => row.txHash as Hex))];
        const inPool = await Promise.all(
          distinct.map((hash) =>
            publicClient()
              .getTransaction({ hash })
              .then((tx) => tx.blockNumber === null)
              .catch(() => false),
          ),
        );
        return inPool.every(Boolean) ? distinct : undefined;
      });
      child.child.kill("SIGKILL");
      await Promise.all(requests);
      expect((await rowsOf(payloads)).map((row) => row.state)).not.toContain("settled");
      return { payloads, hashes };
    };

    // 1. The batch is mined after the crash: recovery at the next start settles every payment with its hash.
    const first = await crashWithBatchInFlight(4);
    await testClient().mine({ blocks: 1 });
    await testClient().setAutomine(true);
    const restarted = await serveDevnetGateway(database.db, config);
    cleanups.push(restarted.close);
    const firstResult = await recoverPendingPayments({
      payments: createPaymentRepository({ db: database.db }),
      chains: restarted.chains,
      log: silentLog,
    });
    expect(firstResult).toMatchObject({ settled: 4, abandoned: 0, waiting: 0, unresolved: 0 });
    const firstRows = await rowsOf(first.payloads);
    expect(firstRows.map((row) => row.state)).toEqual(["settled", "settled", "settled", "settled"]);
    for (const row of firstRows) expect(first.hashes).toContain(row.txHash);
    await restarted.close();

    // 2. The batch never makes it into a block (dropped from the pool): recovery abandons every payment.
    const second = await crashWithBatchInFlight(3);
    for (const hash of second.hashes) await testClient().dropTransaction({ hash });
    await testClient().setAutomine(true);
    const again = await serveDevnetGateway(database.db, config);
    cleanups.push(again.close);
    const secondResult = await recoverPendingPayments({
      payments: createPaymentRepository({ db: database.db }),
      chains: again.chains,
      log: silentLog,
    });
    expect(secondResult).toMatchObject({ settled: 0, abandoned: 3, waiting: 0, unresolved: 0 });
    expect((await rowsOf(second.payloads)).map((row) => row.state)).toEqual(["abandoned", "abandoned", "abandoned"]);
    for (const payload of second.payloads) {
      const used = await publicClient().readContract({
        address: devnet.usdc,
        abi: eip3009SettleAbi,
        functionName: "authorizationState",
        args: [devnet.accounts.buyer.address, nonceOf(payload) as Hex],
      });
      expect(used).toBe(false);
    }
    // Nothing pending anywhere, nothing charged twice, and the restarted gateway settles again on the same account.
    expect(
      await database.db.payment.count({ where: { state: { in: ["verified", "delivered", "settlement_pending"] } } }),
    ).toBe(0);
    expect(await balanceOf(devnet.accounts.buyer.address)).toBe(buyerBefore - 4n * PRICE);
    const after = await pay(again.origin, "/services/settle/after", (await sign(route, 1))[0] as PaymentPayload);
    expect(after.status).toBe(200);
    expect(after.receipt?.success).toBe(true);
  }, 180_000);
});
