import { describe, expect, it } from "vitest";
import {
  buildConditions,
  buildDiscoveryInput,
  buildIdentity,
  buildListedOffer,
  drainingFor,
} from "../testing/discovery-fixtures.ts";
import type { DiscoveryInput } from "./discovery-input.ts";
import { renderAgentRegistration } from "./render-agent-registration.ts";
import { createDocumentSegmentRenderer, type DiscoveryDocumentKind, joinSegments } from "./render-document-segments.ts";
import { renderServiceCatalog } from "./render-service-catalog.ts";
import { renderSkillMarkdown } from "./render-skill-markdown.ts";

const plain: Record<DiscoveryDocumentKind, (input: DiscoveryInput) => string> = {
  catalog: (input) => `${JSON.stringify(renderServiceCatalog(input), null, 2)}\n`,
  skill: renderSkillMarkdown,
  registration: (input) => `${JSON.stringify(renderAgentRegistration(input), null, 2)}\n`,
};
const kinds = Object.keys(plain) as DiscoveryDocumentKind[];

const offers = [
  buildListedOffer({
    id: "o-1",
    name: "weather",
    description: "Hourly | forecasts <b>",
    listing: { weight: 2, category: "data" },
  }),
  buildListedOffer({
    id: "o-2",
    name: "llm",
    type: "inference",
    model: "llama3.2:1b",
    payment: { price: "2", unit: "mtok" },
    registration: { skills: ["nlp"], domains: ["ai"] },
  }),
  buildListedOffer({ id: "o-3", name: "draining", ...drainingFor(120), registration: { enabled: false } }),
  buildListedOffer({ id: "o-4", name: "pending" }, { Registered: ["False", "AwaitingRegistration"] }),
  buildListedOffer({ id: "o-5", name: "broken", payment: { price: "not a price" } }),
  buildListedOffer({ id: "o-6", name: "down" }, { UpstreamHealthy: ["False", "ProbeFailed"] }),
];

describe("createDocumentSegmentRenderer", () => {
  it("renders each document exactly as the plain renderers, with offers, with none, and with none publishable", () => {
    const renderer = createDocumentSegmentRenderer();
    const inputs = [
      buildDiscoveryInput({ offers, identities: [buildIdentity()] }),
      buildDiscoveryInput({ offers: [] }),
      buildDiscoveryInput({ offers: [offers[2] as (typeof offers)[number]] }),
    ];
    for (const input of inputs) {
      for (const kind of kinds) expect(joinSegments(renderer.render(kind, input))).toBe(plain[kind](input));
    }
  });

  it("re-renders only the offer that changed, and follows a new public base URL", () => {
    const renderer = createDocumentSegmentRenderer();
    const input = buildDiscoveryInput({ offers });
    const keys = (doc: ReturnType<typeof renderer.render>) => doc.segments.flatMap((s) => (s.key ? [s.key] : []));
    const before = keys(renderer.render("catalog", input));
    expect(before).toHaveLength(4);

    const changed = buildListedOffer({ id: "o-1", name: "weather", description: "Now daily" });
    const next = { ...input, offers: [changed, ...offers.slice(1)] };
    const after = renderer.render("catalog", next);
    expect(keys(after).filter((key) => !before.includes(key))).toEqual([expect.stringMatching(/^o-1#/)]);
    expect(joinSegments(after)).toBe(plain.catalog(next));

    const moved = { ...next, publicBaseUrl: "https://other.example" };
    expect(keys(renderer.render("catalog", moved)).some((key) => before.includes(key))).toBe(false);
    expect(joinSegments(renderer.render("catalog", moved))).toContain("https://other.example/services/weather");
  });

  it("follows an offer's new conditions (same offer object) and a new offer, in listing order", () => {
    const renderer = createDocumentSegmentRenderer();
    const entries = offers.slice(0, 2).map((entry) => ({ ...entry }));
    const input = buildDiscoveryInput({ offers: entries });
    expect(joinSegments(renderer.render("catalog", input))).toContain('"name": "weather"');
    (entries[0] as (typeof entries)[number]).conditions = buildConditions({
      UpstreamHealthy: ["False", "ProbeFailed"],
    });
    const down = joinSegments(renderer.render("catalog", input));
    expect(down).not.toContain('"name": "weather"');
    expect(down).toBe(plain.catalog(input));
    const grown = { ...input, offers: [...entries, buildListedOffer({ id: "o-7", name: "alpha" })] };
    expect(joinSegments(renderer.render("catalog", grown))).toBe(plain.catalog(grown));
  });

  it("says when a listed offer's drain ends", () => {
    const doc = createDocumentSegmentRenderer().render("catalog", buildDiscoveryInput({ offers }));
    expect(doc.expiresAt?.toISOString()).toBe("2026-03-01T12:02:00.000Z");
  });
});
