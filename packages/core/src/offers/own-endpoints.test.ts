import { describe, expect, it } from "vitest";
import {
  findOwnEndpoint,
  findOwnEndpointByAddresses,
  findOwnEndpointUpstream,
  isIpLiteralHost,
  type OwnEndpoints,
} from "./own-endpoints.ts";

const own: OwnEndpoints = {
  endpoints: [
    { host: "127.0.0.1", port: 8402, label: "Tollgate itself" },
    { host: "127.0.0.1", port: 54329, label: "the ledger's PostgreSQL" },
    { host: "0.0.0.0", port: 8545, label: "the devnet chain (anvil)" },
    { host: "db.internal", port: 5432, label: "the ledger's PostgreSQL" },
  ],
  machineAddresses: ["192.168.1.20", "fe80::1"],
};

describe("findOwnEndpoint", () => {
  it.each([
    ["http://127.0.0.1:8402", "Tollgate itself"],
    ["http://localhost:8402/api", "Tollgate itself"],
    ["http://127.1.2.3:8402", "Tollgate itself"],
    ["http://[::1]:54329", "the ledger's PostgreSQL"],
    ["http://[::ffff:127.0.0.1]:54329", "the ledger's PostgreSQL"],
    ["http://0.0.0.0:8545", "the devnet chain (anvil)"],
    ["http://192.168.1.20:8545", "the devnet chain (anvil)"],
    ["http://api.localhost:8402", "Tollgate itself"],
    ["http://db.internal:5432", "the ledger's PostgreSQL"],
  ])("%s reaches %s", (url, label) => {
    expect(findOwnEndpoint(new URL(url), own)?.label).toBe(label);
  });

  it.each([
    "http://127.0.0.1:9000",
    "http://10.0.0.5:8402",
    "http://192.168.1.21:8545",
    "https://example.com",
    "http://db.internal:5433",
  ])("%s is someone else's", (url) => {
    expect(findOwnEndpoint(new URL(url), own)).toBeNull();
  });

  it("uses the scheme's default port and ignores non-http upstreams", () => {
    const web = { endpoints: [{ host: "0.0.0.0", port: 80, label: "Tollgate itself" }] };
    expect(findOwnEndpoint(new URL("http://localhost"), web)?.label).toBe("Tollgate itself");
    expect(findOwnEndpoint(new URL("https://localhost"), web)).toBeNull();
    expect(findOwnEndpointUpstream("demo://hello", own)).toBeNull();
    expect(findOwnEndpointUpstream("k8s://default/echo:8402", own)).toBeNull();
    expect(findOwnEndpointUpstream("http://127.0.0.1:8402", own)).toMatch(/Tollgate itself \(port 8402/);
  });
});

describe("findOwnEndpointByAddresses", () => {
  it("refuses a host name that resolves to one of the server's own ports, naming the name and address", () => {
    expect(findOwnEndpointByAddresses("http://vm:8402/x", ["127.0.0.1"], own)).toMatch(
      /Tollgate itself \(port 8402 on this machine: vm resolves to 127\.0\.0\.1\)/,
    );
    expect(findOwnEndpointByAddresses("http://box.lan:8545", ["10.9.9.9", "192.168.1.20"], own)).toMatch(/anvil/);
    expect(findOwnEndpointByAddresses("http://vm:54329", ["::1"], own)).toMatch(/PostgreSQL/);
  });

  it("lets names through that resolve elsewhere or to another port", () => {
    expect(findOwnEndpointByAddresses("http://vm:9000", ["127.0.0.1"], own)).toBeNull();
    expect(findOwnEndpointByAddresses("http://api.example:8402", ["203.0.113.7"], own)).toBeNull();
    expect(findOwnEndpointByAddresses("demo://hello", ["127.0.0.1"], own)).toBeNull();
  });

  it("tells IP literals from names", () => {
    expect(isIpLiteralHost("127.0.0.1")).toBe(true);
    expect(isIpLiteralHost("[::1]")).toBe(true);
    expect(isIpLiteralHost("vm")).toBe(false);
    expect(isIpLiteralHost("1.2.3.4.nip.io")).toBe(false);
  });
});
