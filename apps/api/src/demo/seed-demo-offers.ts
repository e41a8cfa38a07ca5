import { type OfferService, payeeSettingKey, type SettingsStore, TollgateError } from "@tollgate/core";
import { demoModel } from "./demo-inference-upstream.ts";

/** The setting that records the demo offers were created once (a fresh home has none). */
export const demoSeededSettingKey = "demo/seeded";

interface SeedLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * On a fresh home (the `demo/seeded` flag is unset — not "no offers", so deleting the demos keeps them
 * deleted) creates the two demo offers on the devnet, paid to the devnet seller (`payees/local`). Without a
 * payee yet it does nothing and tries again at the next start: money settings never default silently.
 */
export async function seedDemoOffers({
  offers,
  settings,
  log,
}: {
  offers: OfferService;
  settings: SettingsStore;
  log: SeedLog;
}): Promise<"seeded" | "already" | "skipped"> {
  if (await settings.get(demoSeededSettingKey)) return "already";
  if (!(await settings.get(payeeSettingKey("local")))) {
    log.info({}, "demo offers: no devnet payee yet (payees/local); not seeding");
    return "skipped";
  }
  const actor = "system:demo";
  const created: string[] = [];
  const demos = [
    {
      demoUpstream: "demo://hello" as const,
      input: {
        name: "hello",
        type: "http" as const,
        upstream: "http://127.0.0.1",
        description: "Demo JSON API: says hello and echoes your request.",
        listing: { category: "demo", weight: 10 },
        payment: { chain: "local" as const, price: "0.001", unit: "request" as const },
        registration: { enabled: false },
      },
    },
    {
      demoUpstream: "demo://inference" as const,
      input: {
        name: "demo-llm",
        type: "inference" as const,
        upstream: "http://127.0.0.1",
        model: demoModel,
        description: "Demo OpenAI-compatible chat completions (deterministic echo) with token usage.",
        listing: { category: "demo", weight: 5 },
        payment: { chain: "local" as const, price: "1", unit: "mtok" as const },
        registration: { enabled: false },
      },
    },
  ];
  try {
    for (const demo of demos) {
      try {
        await offers.create({ actor, input: demo.input, demoUpstream: demo.demoUpstream });
        created.push(demo.input.name);
      } catch (error) {
        // A seller who already named an offer "hello" keeps theirs.
        if (error instanceof TollgateError && error.code === "CONFLICT") continue;
        throw error;
      }
    }
  } catch (error) {
    log.warn({ err: error, created }, "demo offers: not seeded yet; will try again at the next start");
    return "skipped";
  }
  await settings.set(demoSeededSettingKey, { at: new Date().toISOString(), offers: created });
  log.info({ offers: created }, "demo offers created");
  return "seeded";
}
