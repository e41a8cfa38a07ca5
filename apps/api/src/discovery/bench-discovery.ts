// Render time of /api/services.json and /skill.md for 10, 1,000 and 10,000 offers, cold and cached.
// Run: pnpm exec tsx apps/api/src/discovery/bench-discovery.ts
import type { OfferRepository, OfferWithConditions } from "@tollgate/core";
import { defaultStorefrontProfile } from "@tollgate/core/discovery/index";
import type { IdentityRepository } from "@tollgate/core/identity/index";
import { buildIdentity, buildListedOffer } from "@tollgate/core/testing/discovery-fixtures";
import { createDiscoveryService, type DiscoveryDocumentKind } from "./create-discovery-service.ts";

function offersOf(count: number): OfferWithConditions[] {
  return Array.from({ length: count }, (_, i) =>
    buildListedOffer({
      name: `svc-${i}`,
      id: `offer-${i}`,
      type: i % 3 === 0 ? "inference" : "http",
      model: i % 3 === 0 ? "llama3.2:1b" : null,
      listing: { weight: i % 7, category: null },
      payment: { price: `0.${String(i % 999).padStart(3, "0")}1`, unit: i % 5 === 0 ? "mtok" : "request" },
      registration: { enabled: i % 2 === 0 },
      description: `Service number ${i}`,
    }),
  );
}

const time = async (fn: () => Promise<unknown>) => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

const rows: string[][] = [];
for (const count of [10, 1_000, 10_000]) {
  const offers = offersOf(count);
  const service = createDiscoveryService({
    offers: { list: async () => offers } as unknown as OfferRepository,
    identities: { list: async () => [buildIdentity()] } as unknown as IdentityRepository,
    site: {
      get: async () => ({
        publicBaseUrl: "https://seller.example",
        publicBaseUrlSource: "setting" as const,
        defaultPublicBaseUrl: "https://seller.example",
        profile: defaultStorefrontProfile,
      }),
    },
  });
  for (const kind of ["catalog", "skill"] as DiscoveryDocumentKind[]) {
    service.invalidate();
    const cold = await time(() => service.get(kind));
    let cached = 0;
    const n = 1_000;
    for (let i = 0; i < n; i += 1) cached += await time(() => service.get(kind));
    const size = (await service.get(kind)).bytes.length;
    rows.push([
      String(count),
      kind === "catalog" ? "/api/services.json" : "/skill.md",
      `${cold.toFixed(2)} ms`,
      `${((cached / n) * 1000).toFixed(1)} µs`,
      `${(size / 1024).toFixed(0)} KiB`,
    ]);
  }
}
const header = ["offers", "document", "cold (load+render)", "cached (avg of 1000)", "size"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  "));
