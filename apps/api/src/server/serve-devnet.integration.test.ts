import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useServeHome } from "../testing/serve-home.ts";
import { runCli, serveEnv } from "../testing/serve-process.ts";

const box = useServeHome({ TOLLGATE_DEVNET: "on" });
const start = () => box.start();

/** anvil processes whose state lives in this home. */
function anvilsForHome(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
        return cmd.includes("anvil") && cmd.includes(`${box.home()}/devnet`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function devnetInfo(url: string) {
  const res = await runCli(["devnet", "info", "--json"], serveEnv(box.home(), { TOLLGATE_URL: url }));
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout);
}

describe("tollgate serve with the devnet", () => {
  let first: {
    rpcUrl: string;
    usdc: string;
    identityRegistry: string;
    accounts: Record<string, { address: string; usdcBalance: string }>;
  };

  it("brings the devnet up on a fresh home; devnet info and chains list report it", async () => {
    const p = await start();
    first = await devnetInfo(p.url);
    expect(first).toMatchObject({ chainId: 31337, running: true });
    expect(first.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.usdc).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(first.identityRegistry).toMatch(/^0x[0-9a-fA-F]{40}$/);
    for (const role of ["seller", "buyer", "facilitator"]) expect(first.accounts[role]?.address).toMatch(/^0x/);
    expect(BigInt(first.accounts.buyer?.usdcBalance ?? "0")).toBeGreaterThanOrEqual(1_000n * 10n ** 6n);

    const chains = await runCli(["chains", "list", "--json"], serveEnv(box.home(), { TOLLGATE_URL: p.url }));
    expect(chains.code).toBe(0);
    const local = JSON.parse(chains.stdout).find((c: { name: string }) => c.name === "local");
    expect(local).toMatchObject({ caip2: "eip155:31337", testnet: true, facilitator: { kind: "local" } });
    expect(local.facilitator.health.status).toBe("ok");

    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(anvilsForHome()).toEqual([]);
  });

  it("a restart keeps addresses and balances; after kill -9 and a new start exactly one anvil runs", async () => {
    const p = await start();
    const again = await devnetInfo(p.url);
    expect(again.usdc).toBe(first.usdc);
    expect(again.identityRegistry).toBe(first.identityRegistry);
    for (const role of ["seller", "buyer", "facilitator"]) {
      expect(again.accounts[role].address).toBe(first.accounts[role]?.address);
      expect(again.accounts[role].usdcBalance).toBe(first.accounts[role]?.usdcBalance);
    }
    p.child.kill("SIGKILL");
    await p.exited;
    expect(anvilsForHome().length).toBe(1); // the orphan the wrapper could not take down

    const q = await start();
    expect(anvilsForHome().length).toBe(1);
    expect((await devnetInfo(q.url)).usdc).toBe(first.usdc);
    q.child.kill("SIGTERM");
    expect(await q.exited).toBe(0);
    expect(anvilsForHome()).toEqual([]);
  });
});
