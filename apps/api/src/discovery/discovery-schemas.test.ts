import type { DiscoveryInput } from "@tollgate/core/discovery/index";
import { renderAgentRegistration, renderServiceCatalog, renderSkillMarkdown } from "@tollgate/core/discovery/index";
import {
  buildDiscoveryInput,
  buildIdentity,
  buildListedOffer,
  drainingFor,
} from "@tollgate/core/testing/discovery-fixtures";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { readSchemaFile } from "./schema-files.ts";

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats.default(ajv);
const validateCatalog = ajv.compile(readSchemaFile("service-catalog.schema.json"));
const validateRegistration = ajv.compile(readSchemaFile("agent-registration-v1.schema.json"));

const baseUsdc = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
const sepoliaUsdc = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";

const scenarios: [string, DiscoveryInput][] = [
  ["no offers", buildDiscoveryInput()],
  [
    "one offer",
    buildDiscoveryInput({ offers: [buildListedOffer({ name: "hello", registration: { enabled: true } })] }),
  ],
  [
    "a draining offer",
    buildDiscoveryInput({
      offers: [buildListedOffer({ name: "leaving", registration: { enabled: true }, ...drainingFor(600) })],
      identities: [buildIdentity()],
    }),
  ],
  [
    "a registration-pending offer",
    buildDiscoveryInput({
      offers: [
        buildListedOffer(
          { name: "pending", registration: { enabled: true, skills: ["chat"], domains: ["ai"] } },
          { Registered: ["False", "AwaitingRegistration"], Ready: ["False", "Reconciling"] },
        ),
      ],
    }),
  ],
  [
    "a mix of test and real chains",
    buildDiscoveryInput({
      offers: [
        buildListedOffer({ name: "devnet", registration: { enabled: true } }),
        buildListedOffer({
          name: "mainnet-llm",
          type: "inference",
          model: "llama3.2:1b",
          payment: { chain: "base", asset: baseUsdc, price: "0.5", unit: "mtok" },
          registration: { enabled: true },
        }),
        buildListedOffer({
          name: "sepolia",
          payment: { chain: "base-sepolia", asset: sepoliaUsdc, unit: "hour", price: "1.25" },
          listing: { weight: 5, category: "tools" },
        }),
      ],
      identities: [
        buildIdentity(),
        buildIdentity({
          chain: "base",
          chainId: 8453,
          registry: "0x8004A169FB4a3325136EB29fA0ceB6D2e539a432",
          agentId: "42",
        }),
      ],
    }),
  ],
];

describe("discovery documents against the repository's JSON Schemas", () => {
  it.each(scenarios)("%s: services.json and agent-registration.json validate", (_name, input) => {
    const catalog = renderServiceCatalog(input);
    const registration = renderAgentRegistration(input);
    // Round-trip through JSON: the schema sees what a buyer downloads.
    expect(validateCatalog(JSON.parse(JSON.stringify(catalog))), ajv.errorsText(validateCatalog.errors)).toBe(true);
    expect(
      validateRegistration(JSON.parse(JSON.stringify(registration))),
      ajv.errorsText(validateRegistration.errors),
    ).toBe(true);
    const md = renderSkillMarkdown(input);
    expect(md).toContain(
      `${catalog.services.length === 1 ? "1 service is" : `${catalog.services.length} services are`} available`,
    );
    for (const service of catalog.services) expect(md).toContain(`### ${service.name}`);
  });

  it("the mix keeps test and real chains apart and the tombstone has no services", () => {
    const [, mix] = scenarios[4] as [string, DiscoveryInput];
    const catalog = renderServiceCatalog(mix);
    expect(catalog.services.map((s) => [s.name, s.testnet, s.caip2Network])).toEqual([
      ["sepolia", true, "eip155:84532"],
      ["devnet", true, "eip155:31337"],
      ["mainnet-llm", false, "eip155:8453"],
    ]);
    const [, empty] = scenarios[0] as [string, DiscoveryInput];
    expect(renderAgentRegistration(empty)).toMatchObject({ active: false, services: [] });
  });

  it("the schemas refuse what they must: bad CAIP-2, non-digit atomic amounts, bad RFC 3339, bad registry ids", () => {
    const [, one] = scenarios[1] as [string, DiscoveryInput];
    const good = JSON.parse(JSON.stringify(renderServiceCatalog(one)));
    const bad = (patch: (svc: Record<string, unknown>) => void) => {
      const doc = structuredClone(good);
      patch(doc.services[0]);
      return validateCatalog(doc);
    };
    expect(bad((s) => (s.caip2Network = "31337"))).toBe(false);
    expect(bad((s) => (s.priceAtomicUnits = "10.5"))).toBe(false);
    expect(bad((s) => (s.amountPerRequest = 10000))).toBe(false);
    expect(bad((s) => (s.drainEndsAt = "tomorrow"))).toBe(false);
    expect(bad((s) => (s.payTo = "0x123"))).toBe(false);
    const reg = JSON.parse(JSON.stringify(renderAgentRegistration(one)));
    expect(validateRegistration({ ...reg, registrations: [{ agentId: 1, agentRegistry: "31337:0xabc" }] })).toBe(false);
    expect(validateRegistration({ ...reg, active: false })).toBe(false);
  });
});
