import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Address, createPublicClient, erc721Abi, http, parseAbiItem } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type ServeProcess, serveEnv } from "../testing/serve-process.ts";
import { useServeHome } from "../testing/serve-home.ts";

// Each agent sold on a chain has its own ERC-8004 identity there, owned by its wallet, and exactly one of
// them across a restart and a kill -9 (SPEC §13, issue 15 acceptance 1).
const box = useServeHome({ TOLLGATE_DEVNET: "on" });
// A fresh home the first one moves to (export with a passphrase → import).
const fresh = useServeHome({ TOLLGATE_DEVNET: "on" });
let server: ServeProcess;
const work = mkdtempSync(join(tmpdir(), "tollgate-agent-identity-"));

async function cliOn(on: typeof box, url: string | undefined, args: string[]) {
  const res = await runCli(
    [...args, "--json"],
    serveEnv(on.home(), { ...on.dbEnv(), ...(url ? { TOLLGATE_URL: url } : {}) }),
  );
  return { ...res, json: res.stdout.trim() ? JSON.parse(res.stdout) : null };
}
const cli = (args: string[]) => cliOn(box, server.url, args);

type Identity = { chain: string; registry: string; tokenId: string | null; owner: string; state: string };
type AgentView = { walletAddress: string; identities: Identity[] };

async function registeredIdentity(timeoutMs = 90_000, show = cli): Promise<Identity> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const shown = (await show(["agents", "show", "scout"])).json as AgentView;
    last = shown;
    const identity = shown.identities.find((i) => i.chain === "local");
    if (identity?.state === "registered") return identity;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`no registered identity: ${JSON.stringify(last)}`);
}

let wallet: Address;
let first: Identity;
let ownerOf: (tokenId: string) => Promise<string>;
let countOwned: () => Promise<bigint>;

beforeAll(async () => {
  server = await box.start();
}, 150_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("an agent's own ERC-8004 identity", () => {
  it("registers the agent on the chain it sells on, owned by its wallet, with its own registration document", async () => {
    wallet = (await cli(["agents", "create", "scout", "--model", "demo", "--objective", "Scout prices."])).json
      .walletAddress;
    const offer = await cli(["offers", "create", "scout", "--type", "agent", "--agent", "scout", "--price", "0.01"]);
    expect(offer.code, offer.stdout).toBe(0);
    first = await registeredIdentity();
    expect(first.owner).toBe(wallet);

    const devnet = (await cli(["devnet", "info"])).json as { rpcUrl: string; identityRegistry: Address };
    const reader = createPublicClient({ transport: http(devnet.rpcUrl) });
    const registry = devnet.identityRegistry;
    ownerOf = (tokenId) =>
      reader.readContract({ address: registry, abi: erc721Abi, functionName: "ownerOf", args: [BigInt(tokenId)] });
    countOwned = () =>
      reader.readContract({ address: registry, abi: erc721Abi, functionName: "balanceOf", args: [wallet] });
    expect(await ownerOf(first.tokenId as string)).toBe(wallet);
    expect(await countOwned()).toBe(1n);
    const tokenUri = await reader.readContract({
      address: registry,
      abi: erc721Abi,
      functionName: "tokenURI",
      args: [BigInt(first.tokenId as string)],
    });
    expect(tokenUri).toBe(`${server.url}/agents/scout/agent-registration.json`);

    const doc = (await (await fetch(tokenUri)).json()) as {
      name: string;
      active: boolean;
      services: { endpoint: string }[];
      registrations: { agentId: number; agentRegistry: string }[];
    };
    expect(doc).toMatchObject({ name: "scout", active: true });
    expect(doc.services.map((s) => s.endpoint)).toContain(`${server.url}/services/scout`);
    expect(doc.registrations).toEqual([{ agentId: Number(first.tokenId), agentRegistry: `eip155:31337:${registry}` }]);
    expect((await fetch(`${server.url}/agents/nobody/agent-registration.json`)).status).toBe(404);
  }, 180_000);

  it("keeps exactly one identity after a restart and after kill -9", async () => {
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    server = await box.start();
    expect(await registeredIdentity()).toMatchObject({ tokenId: first.tokenId, owner: wallet });

    server.child.kill("SIGKILL");
    await server.exited;
    server = await box.start();
    expect(await registeredIdentity()).toMatchObject({ tokenId: first.tokenId, owner: wallet });
    // Give the registrar a pass over the restarted box, then count the agent's tokens on chain.
    await cli(["offers", "update", "scout", "--description", "still one identity"]);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await countOwned()).toBe(1n);
    expect(await ownerOf(first.tokenId as string)).toBe(wallet);
  }, 300_000);

  it("export with a passphrase → import on a fresh home keeps the same identity: one token, no second Registered", async () => {
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const passphraseFile = join(work, "passphrase");
    writeFileSync(passphraseFile, "scout keeps its identity\n", { mode: 0o600 });
    const sealed = join(work, "sealed.tgz");
    const exported = await cliOn(box, undefined, ["export", "--out", sealed, "--passphrase-file", passphraseFile]);
    expect(exported.code, exported.stderr).toBe(0);
    const imported = await cliOn(fresh, undefined, ["import", sealed, "--passphrase-file", passphraseFile]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);

    const moved = await fresh.start();
    const onMoved = (args: string[]) => cliOn(fresh, moved.url, args);
    expect((await onMoved(["agents", "show", "scout"])).json.walletAddress).toBe(wallet);
    // Give the registrar passes over the moved box (an offer change wakes it), then read the chain it serves.
    await onMoved(["offers", "update", "scout", "--description", "moved to a fresh home"]);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await registeredIdentity(90_000, onMoved)).toMatchObject({ tokenId: first.tokenId, owner: wallet });

    const devnet = (await onMoved(["devnet", "info"])).json as { rpcUrl: string; identityRegistry: Address };
    const reader = createPublicClient({ transport: http(devnet.rpcUrl) });
    const registry = devnet.identityRegistry;
    expect(
      await reader.readContract({ address: registry, abi: erc721Abi, functionName: "balanceOf", args: [wallet] }),
    ).toBe(1n);
    expect(
      await reader.readContract({
        address: registry,
        abi: erc721Abi,
        functionName: "ownerOf",
        args: [BigInt(first.tokenId as string)],
      }),
    ).toBe(wallet);
    const registered = await reader.getLogs({
      address: registry,
      event: parseAbiItem("event Registered(uint256 indexed agentId, string agentURI, address indexed owner)"),
      args: { owner: wallet },
      fromBlock: 0n,
    });
    // The restored devnet keeps its history: the one registration from the first box, none from the moved one.
    expect(registered.map((log) => log.args.agentId)).toEqual([BigInt(first.tokenId as string)]);
    moved.child.kill("SIGTERM");
    expect(await moved.exited).toBe(0);
  }, 300_000);
});
