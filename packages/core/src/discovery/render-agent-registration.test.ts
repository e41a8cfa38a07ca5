import { describe, expect, it } from "vitest";
import {
  buildDiscoveryInput,
  buildIdentity,
  buildListedOffer,
  discoveryNow,
  drainingFor,
} from "../testing/discovery-fixtures.ts";
import { devnetRegistry } from "../testing/fixtures.ts";
import { registrationV1Type, renderAgentRegistration } from "./render-agent-registration.ts";

describe("renderAgentRegistration", () => {
  it("is a tombstone with no publishable offer, and still names the minted identities", () => {
    const doc = renderAgentRegistration(
      buildDiscoveryInput({
        offers: [buildListedOffer({ name: "private", registration: { enabled: false } })],
        identities: [buildIdentity({ agentId: "7" })],
      }),
    );
    expect(doc).toEqual({
      type: registrationV1Type,
      name: "Tollgate",
      description: "Agent Tollgate (deactivated)",
      image: "https://seller.example/logo.svg",
      services: [],
      x402Support: false,
      active: false,
      registrations: [{ agentId: 7, agentRegistry: `eip155:31337:${devnetRegistry}` }],
    });
  });

  it("lists one web service per publishable offer plus OASF and declared services; drain shows drainEndsAt", () => {
    const doc = renderAgentRegistration(
      buildDiscoveryInput({
        offers: [
          buildListedOffer({
            name: "first",
            registration: {
              enabled: true,
              name: "Acme agent",
              skills: ["summarize"],
              services: [{ name: "MCP", endpoint: "https://seller.example/mcp" }],
            },
          }),
          buildListedOffer({
            name: "second",
            createdAt: new Date("2026-02-01T00:00:00Z"),
            registration: { enabled: true },
            ...drainingFor(30),
          }),
          buildListedOffer(
            { name: "pending", registration: { enabled: true } },
            { Registered: ["False", "AwaitingRegistration"] },
          ),
          buildListedOffer(
            { name: "down", registration: { enabled: true } },
            { UpstreamHealthy: ["False", "Unhealthy"] },
          ),
        ],
        identities: [
          buildIdentity({
            chain: "base",
            chainId: 8453,
            registry: "0x8004A169FB4a3325136EB29fA0ceB6D2e539a432",
            agentId: "12",
          }),
          buildIdentity({ agentId: "0" }),
          buildIdentity({ chain: "base-sepolia", chainId: 84532, state: "off_chain_only", agentId: null }),
        ],
      }),
    );
    expect(doc.active).toBe(true);
    expect(doc.x402Support).toBe(true);
    expect(doc.name).toBe("Acme agent");
    expect(doc.services).toEqual([
      { name: "web", endpoint: "https://seller.example/services/first" },
      { name: "OASF", endpoint: "https://seller.example/services/first", version: "0.8", skills: ["summarize"] },
      { name: "MCP", endpoint: "https://seller.example/mcp" },
      { name: "web", endpoint: "https://seller.example/services/pending" },
      {
        name: "web",
        endpoint: "https://seller.example/services/second",
        drainEndsAt: new Date(discoveryNow.getTime() + 30_000).toISOString(),
      },
    ]);
    expect(doc.registrations).toEqual([
      { agentId: 12, agentRegistry: "eip155:8453:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432" },
      { agentId: 0, agentRegistry: `eip155:31337:${devnetRegistry}` },
    ]);
  });

  it("defaults the description by offer type", () => {
    const doc = renderAgentRegistration(
      buildDiscoveryInput({
        offers: [
          buildListedOffer({ name: "llm", type: "inference", model: "qwen3:0.6b", registration: { enabled: true } }),
        ],
      }),
    );
    expect(doc.description).toBe("qwen3:0.6b inference via x402 micropayments");
  });
});
