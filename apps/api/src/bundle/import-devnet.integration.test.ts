import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useServeHome } from "../testing/serve-home.ts";
import { runCli, serveEnv, stopServeProcesses } from "../testing/serve-process.ts";

// SPEC §10: an import never leaves a box that silently serves nothing. Box A sells on its devnet and
// exports without a passphrase; box B (started once, so it has its own devnet and demo content)
// either refuses the bundle naming the missing keys, or with --keep-local-devnet (and --force: B is
// not empty) serves every active offer after start.
const boxA = useServeHome({ TOLLGATE_DEVNET: "on" });
const boxB = useServeHome({ TOLLGATE_DEVNET: "on" });
const work = mkdtempSync(join(tmpdir(), "tollgate-import-devnet-"));
const bundle = join(work, "a.tgz");
let upstream: Server;

const cliOn = (home: () => string, dbEnv: () => Record<string, string | undefined>, args: string[], url?: string) =>
  runCli(args, serveEnv(home(), { ...dbEnv(), ...(url ? { TOLLGATE_URL: url } : {}) }));

async function statusWithin(url: string, want: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await fetch(url).catch(() => null))?.status ?? 0;
    if (status === want) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
  return status;
}

beforeAll(async () => {
  upstream = createServer((_req, res) => res.end("sunny"));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  const a = await boxA.start();
  for (const name of ["weather", "forecast"]) {
    const created = await cliOn(
      boxA.home,
      boxA.dbEnv,
      ["offers", "create", name, "--upstream", upstreamUrl, "--price", "0.01", "--chain", "local"],
      a.url,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(await statusWithin(`${a.url}/services/${name}/`, 402, 30_000)).toBe(402);
  }
  const exported = await cliOn(boxA.home, boxA.dbEnv, ["export", "--out", bundle]);
  expect(exported.code, exported.stderr).toBe(0);
  await stopServeProcesses([a]);
});

beforeAll(async () => {
  // B ran once: it has its own devnet, keys and contracts.
  await stopServeProcesses([await boxB.start()]);
});

afterAll(() => {
  upstream?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("importing a bundle exported without a passphrase into a box that has its own devnet", () => {
  it("refuses, naming the missing devnet keys and both fixes; the dry run says so first", async () => {
    const dry = await cliOn(boxB.home, boxB.dbEnv, ["import", bundle, "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("devnet: the import will be REFUSED");

    const refused = await cliOn(boxB.home, boxB.dbEnv, ["import", bundle, "--json"]);
    expect(refused.code).toBe(1);
    const error = JSON.parse(refused.stdout).error;
    expect(error.code).toBe("IMPORT_REFUSED");
    expect(error.message).toContain("devnet/deployer-key");
    expect(error.message).toMatch(/weather|forecast/);
    expect(error.hint).toContain("--passphrase-file");
    expect(error.hint).toContain("--keep-local-devnet");
  });

  it("with --keep-local-devnet, the dry run says the offers move, and after start every active offer answers 402", async () => {
    const dry = await cliOn(boxB.home, boxB.dbEnv, ["import", bundle, "--keep-local-devnet", "--dry-run", "--json"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).plan.devnet.outcome).toBe("repointed");

    const imported = await cliOn(boxB.home, boxB.dbEnv, ["import", bundle, "--keep-local-devnet", "--force"]);
    expect(imported.code, imported.stderr).toBe(0);

    const b = await boxB.start();
    const info = JSON.parse((await cliOn(boxB.home, boxB.dbEnv, ["devnet", "info", "--json"], b.url)).stdout);
    for (const name of ["weather", "forecast"]) {
      expect(await statusWithin(`${b.url}/services/${name}/`, 402, 30_000)).toBe(402);
      // The challenge asks for this box's USDC: the offer was re-pointed at B's devnet.
      const challenge = await fetch(`${b.url}/services/${name}/`);
      const required = JSON.parse(Buffer.from(challenge.headers.get("payment-required") ?? "", "base64").toString());
      expect(String(required.accepts[0].asset).toLowerCase()).toBe(String(info.usdc).toLowerCase());
    }
  });
});
