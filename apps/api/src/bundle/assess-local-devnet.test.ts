import { describe, expect, it } from "vitest";
import type { DevnetSetting } from "../chain/devnet-setting.ts";
import { assessLocalDevnet, repointLocalOffers } from "./assess-local-devnet.ts";

const addr = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
const devnet = (base: number): DevnetSetting => ({
  chainId: 31337,
  port: 8545,
  rpcUrl: "http://127.0.0.1:8545",
  usdc: addr(base + 1) as DevnetSetting["usdc"],
  identityRegistry: addr(base + 2) as DevnetSetting["usdc"],
  accounts: {
    deployer: addr(base + 3) as DevnetSetting["usdc"],
    seller: addr(base + 4) as DevnetSetting["usdc"],
    buyer: addr(base + 5) as DevnetSetting["usdc"],
    facilitator: addr(base + 6) as DevnetSetting["usdc"],
  },
  deployedAt: "2026-11-30T10:00:00.000Z",
});
const exported = devnet(0x100);
const thisBox = devnet(0x200);
const snapshot = {
  setting: [{ key: "devnet", value: exported }],
  offer: [
    { name: "weather", chain: "local", state: "active", asset: exported.usdc, payTo: exported.accounts.seller },
    { name: "custom-payee", chain: "local", state: "active", asset: exported.usdc, payTo: addr(0x999) },
    { name: "old", chain: "local", state: "stopped", asset: exported.usdc, payTo: exported.accounts.seller },
    { name: "mainnet", chain: "base", state: "active", asset: addr(0x777), payTo: addr(0x888) },
  ],
  identity: [
    { chain: "local", agentId: "7" },
    { chain: "base", agentId: "9" },
  ],
};
const base = {
  snapshot,
  bundleHasDevnetState: true,
  bundleSecretNames: [],
  deployerAfterImport: thisBox.accounts.deployer,
  thisBoxDevnet: thisBox,
  keepLocalDevnet: false,
};

describe("what an import does about the local devnet", () => {
  it("refuses a bundle whose devnet keys are missing, naming the keys and both fixes", () => {
    const d = assessLocalDevnet(base);
    expect(d.outcome).toBe("refused");
    if (d.outcome !== "refused") return;
    expect(d.message).toContain("weather, custom-payee");
    expect(d.missing).toContain("devnet/deployer-key");
    expect(d.hint).toContain("--passphrase-file");
    expect(d.hint).toContain("--keep-local-devnet");
  });

  it("restores the bundle's devnet when its deployer key comes along", () => {
    const d = assessLocalDevnet({ ...base, deployerAfterImport: exported.accounts.deployer.toUpperCase() });
    expect(d.outcome).toBe("restored");
  });

  it("does not refuse when no active offer uses the devnet, or when the bundle had none", () => {
    const noLocal = { ...snapshot, offer: snapshot.offer.filter((o) => o.chain !== "local" || o.state !== "active") };
    expect(assessLocalDevnet({ ...base, snapshot: noLocal }).outcome).toBe("none");
    expect(assessLocalDevnet({ ...base, snapshot: { ...snapshot, setting: [] } }).outcome).toBe("none");
  });

  it("with --keep-local-devnet re-points local offers at this box's USDC and seller, and drops local identities", () => {
    const d = assessLocalDevnet({ ...base, keepLocalDevnet: true });
    expect(d.outcome).toBe("repointed");
    if (d.outcome !== "repointed") return;
    const out = repointLocalOffers(snapshot, d);
    const byName = Object.fromEntries((out.offer ?? []).map((o) => [o.name, o]));
    expect(byName.weather).toMatchObject({ asset: thisBox.usdc, payTo: thisBox.accounts.seller });
    expect(byName["custom-payee"]).toMatchObject({ asset: thisBox.usdc, payTo: addr(0x999) });
    expect(byName.old).toMatchObject({ asset: thisBox.usdc });
    expect(byName.mainnet).toMatchObject({ asset: addr(0x777), payTo: addr(0x888) });
    expect(out.setting?.find((r) => r.key === "devnet")?.value).toEqual(thisBox);
    expect(out.identity).toEqual([{ chain: "base", agentId: "9" }]);
  });

  it("refuses --keep-local-devnet on a home that never ran a devnet, saying to start it once", () => {
    const d = assessLocalDevnet({ ...base, keepLocalDevnet: true, thisBoxDevnet: null });
    expect(d.outcome).toBe("refused");
    if (d.outcome === "refused") expect(d.hint).toContain("start the server once");
  });
});
