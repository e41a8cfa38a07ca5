import type { Db } from "../prisma-client.ts";

/** Minimal offer rows (name → id) for ledger tests that need payments to point at an offer. */
export async function createOfferRows(db: Db, offers: Record<string, string>): Promise<void> {
  for (const [name, id] of Object.entries(offers)) {
    await db.offer.create({
      data: {
        id,
        name,
        liveName: name,
        type: "http",
        upstreamUrl: "http://127.0.0.1:1",
        path: `/services/${name}`,
        chain: "base",
        asset: "0xA",
        payTo: "0xB",
        priceAmount: "0.01",
      },
    });
  }
}
