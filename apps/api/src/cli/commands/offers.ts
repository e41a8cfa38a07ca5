import { type ConditionView, formatDuration, type OfferView, parseDuration, TollgateError } from "@tollgate/core";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { formatTable, printResult } from "../output.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

const short: Record<string, string> = {
  UpstreamHealthy: "upstream",
  ModelReady: "model",
  PaymentGateReady: "gate",
  RoutePublished: "route",
  Registered: "registered",
  Draining: "draining",
  Ready: "ready",
};

/** Conditions at a glance: `upstream ✓ gate ✗ChainNotConfigured route ✗WaitingForPaymentGate …`. */
function glance(conditions: ConditionView[]): string {
  if (conditions.length === 0) return "(not reconciled yet)";
  return conditions
    .filter((c) => c.type !== "Ready" && !(c.type === "Draining" && c.reason === "Active"))
    .filter((c) => !(c.type === "ModelReady" && c.reason === "Skipped"))
    .map((c) => {
      if (c.type === "Draining") return c.status === "True" ? "draining" : "drained";
      return `${short[c.type] ?? c.type} ${c.status === "True" ? "✓" : `✗${c.reason}`}`;
    })
    .join("  ");
}

const readyOf = (offer: OfferView) => {
  const ready = offer.conditions.find((c) => c.type === "Ready");
  if (!ready) return "-";
  return ready.status === "True" ? "yes" : "no";
};

function renderList(offers: OfferView[]): string {
  if (offers.length === 0) return "No offers. Create one with: tollgate offers create NAME --upstream URL --price 0.01";
  return formatTable(
    ["NAME", "TYPE", "STATE", "PRICE", "CHAIN", "PATH", "READY", "CONDITIONS"],
    offers.map((o) => [
      o.name,
      o.type,
      o.drainEndsAt && o.state === "stopped" ? `stopped (ends ${o.drainEndsAt})` : o.state,
      `${o.payment.display}${o.payment.approximation ? " ~" : ""}`,
      o.payment.chain,
      o.path,
      readyOf(o),
      glance(o.conditions),
    ]),
  );
}

function renderOffer(offer: OfferView): string {
  const lines: [string, string][] = [
    ["Name", `${offer.name}${offer.isDemo ? " (demo)" : ""}`],
    ["Type", offer.type + (offer.model ? ` · model ${offer.model}` : "")],
    ["State", offer.state],
    ["Path", offer.path],
    ["Upstream", `${offer.upstreamUrl} (health ${offer.healthPath})`],
    ["Price", offer.payment.display + (offer.payment.approximation ? ` — ${offer.payment.approximation}` : "")],
    ["Per request", `${offer.payment.amountPerRequest ?? "?"} atomic units`],
    ["Chain", offer.payment.chain],
    ["Pay to", offer.payment.payTo],
    ["Max body", offer.maxBodyBytes === null ? "the server's limit" : `${offer.maxBodyBytes} bytes`],
    ["Generation", String(offer.generation)],
  ];
  if (offer.description) lines.push(["Description", offer.description]);
  if (offer.drainAt) {
    lines.push([
      "Drain",
      `from ${offer.drainAt}, grace ${formatDuration(offer.drainGraceSeconds ?? 0)}, ends ${offer.drainEndsAt}`,
    ]);
  }
  if (offer.deletedAt) lines.push(["Deleted", offer.deletedAt]);
  lines.push(["Registration", offer.registration.enabled ? "enabled" : "disabled"]);
  const width = Math.max(...lines.map(([k]) => k.length));
  const head = lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
  const warnings = offer.warnings.length
    ? `\n\nWarnings (stored before newer rules; it still serves):\n  ${offer.warnings.join("\n  ")}`
    : "";
  const conditions =
    offer.conditions.length === 0
      ? "\n\nConditions: not reconciled yet"
      : `\n\n${formatTable(
          ["CONDITION", "STATUS", "REASON", "MESSAGE"],
          offer.conditions.map((c) => [c.type, c.status, c.reason, c.message]),
        )}`;
  return head + warnings + conditions;
}

function usage(message: string): never {
  throw new CliError(message, exitCodes.usage, { code: "USAGE" });
}

/** `--max-body-bytes`: a whole number of bytes; on update, `default` goes back to the server's limit. */
function parseMaxBodyBytes(text: string, allowDefault: boolean): number | null {
  if (allowDefault && text === "default") return null;
  if (!/^\d{1,10}$/.test(text)) {
    usage(`--max-body-bytes: a whole number of bytes, e.g. 1048576${allowDefault ? ', or "default"' : ""}`);
  }
  return Number(text);
}

function parseGrace(text: string): number {
  try {
    return parseDuration(text, "grace");
  } catch (error) {
    if (error instanceof TollgateError) usage(`--grace: ${error.message} (use e.g. 30s, 5m, 1h)`);
    throw error;
  }
}

/** `tollgate offers create|list|show|update|stop|start|delete|probe` (SPEC §14). */
export function registerOffers(program: Command, getContext: () => CliContext): void {
  const offers = program.command("offers").description("what this box sells: create, price, stop and delete offers");

  offers
    .command("create <name>")
    .description("create an offer (served behind an x402 payment gate once its conditions are ready)")
    .option(
      "--upstream <url>",
      "absolute http(s) URL of the service to sell (inference: omit to sell a ledger --model)",
    )
    .requiredOption("--price <decimal>", 'price in the asset, e.g. "0.01"')
    .option("--unit <unit>", "request, mtok (per million tokens) or hour", "request")
    .option("--chain <name>", "chain to be paid on", "local")
    .option("--pay-to <address>", "payee address (default: the chain's default payee)")
    .option("--type <type>", "http, inference or agent", "http")
    .option("--model <model>", "model (inference): a ledger model (tollgate models list), or the upstream's model id")
    .option("--agent <agent>", "agent (--type agent): the agent sold, served by its built-in runtime")
    .option("--health-path <path>", "health check path on the upstream", "/health")
    .option("--path <path>", "public path (default /services/NAME)")
    .option("--max-body-bytes <bytes>", "largest request body a paid request may carry (default: the server's)")
    .option("--description <text>", "what buyers get")
    .option("--no-register", "do not register the offer on chain (ERC-8004)")
    .option("--register-name <s>", "registration name")
    .option("--register-description <s>", "registration description")
    .option("--register-image <url>", "registration image URL")
    .option("--register-skill <s>", "registration skill (repeatable)", collect, [])
    .option("--register-domain <s>", "registration domain (repeatable)", collect, [])
    .action(
      async (
        name: string,
        opts: {
          upstream?: string;
          price: string;
          unit: string;
          chain: string;
          payTo?: string;
          type: string;
          model?: string;
          agent?: string;
          healthPath: string;
          path?: string;
          maxBodyBytes?: string;
          description?: string;
          register: boolean;
          registerName?: string;
          registerDescription?: string;
          registerImage?: string;
          registerSkill: string[];
          registerDomain: string[];
        },
      ) => {
        const ctx = getContext();
        const input = {
          name,
          type: opts.type,
          ...(opts.upstream !== undefined ? { upstream: opts.upstream } : {}),
          healthPath: opts.healthPath,
          ...(opts.path ? { path: opts.path } : {}),
          ...(opts.model ? { model: opts.model } : {}),
          ...(opts.agent ? { agent: opts.agent } : {}),
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: parseMaxBodyBytes(opts.maxBodyBytes, false) } : {}),
          payment: {
            chain: opts.chain,
            price: opts.price,
            unit: opts.unit,
            ...(opts.payTo ? { payTo: opts.payTo } : {}),
          },
          registration: {
            enabled: opts.register,
            ...(opts.registerName ? { name: opts.registerName } : {}),
            ...(opts.registerDescription ? { description: opts.registerDescription } : {}),
            ...(opts.registerImage ? { image: opts.registerImage } : {}),
            skills: opts.registerSkill,
            domains: opts.registerDomain,
          },
        };
        // The server validates every field and names the one it refuses.
        const created = await ctx.client().offers.create.mutate(input as never);
        printResult(
          ctx.json,
          created,
          () =>
            `Created offer "${created.name}" at ${created.path}: ${created.payment.display} on ${created.payment.chain}, paid to ${created.payment.payTo}.\n` +
            "It serves once its conditions are ready: tollgate offers show " +
            created.name,
        );
      },
    );

  offers
    .command("list")
    .description("list offers with their conditions at a glance")
    .option("--all", "include deleted offers (tombstones)")
    .action(async (opts: { all?: boolean }) => {
      const ctx = getContext();
      const list = await ctx.client().offers.list.query({ all: Boolean(opts.all) });
      printResult(ctx.json, list, () => renderList(list));
    });

  offers
    .command("show <name>")
    .description("show one offer and its conditions")
    .action(async (name: string) => {
      const ctx = getContext();
      const offer = await ctx.client().offers.show.query({ name });
      printResult(ctx.json, offer, () => renderOffer(offer));
    });

  offers
    .command("update <name>")
    .description("change an offer's price, unit, payee, chain, upstream or description (bumps its generation)")
    .option("--price <decimal>", "new price (needed with --unit)")
    .option("--unit <unit>", "request, mtok or hour")
    .option("--pay-to <address>", "new payee")
    .option("--chain <name>", "new chain")
    .option("--upstream <url>", "new upstream URL")
    .option("--description <text>", "new description")
    .option("--max-body-bytes <bytes>", 'largest paid request body, or "default" for the server\'s limit')
    .action(
      async (
        name: string,
        opts: {
          price?: string;
          unit?: string;
          payTo?: string;
          chain?: string;
          upstream?: string;
          description?: string;
          maxBodyBytes?: string;
        },
      ) => {
        const payment = {
          ...(opts.price !== undefined ? { price: opts.price } : {}),
          ...(opts.unit !== undefined ? { unit: opts.unit } : {}),
          ...(opts.payTo !== undefined ? { payTo: opts.payTo } : {}),
          ...(opts.chain !== undefined ? { chain: opts.chain } : {}),
        };
        const input = {
          name,
          ...(Object.keys(payment).length ? { payment } : {}),
          ...(opts.upstream !== undefined ? { upstream: opts.upstream } : {}),
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: parseMaxBodyBytes(opts.maxBodyBytes, true) } : {}),
        };
        if (Object.keys(input).length === 1) {
          usage(
            "nothing to update: pass at least one of --price, --unit, --pay-to, --chain, --upstream, --description, --max-body-bytes",
          );
        }
        const ctx = getContext();
        const updated = await ctx.client().offers.update.mutate(input as never);
        printResult(
          ctx.json,
          updated,
          () => `Updated offer "${updated.name}" (generation ${updated.generation}): ${updated.payment.display}.`,
        );
      },
    );

  offers
    .command("stop <name>")
    .description("stop an offer: it keeps serving for the grace period (drain), then stops")
    .option("--grace <duration>", "how long to keep serving, e.g. 30s, 5m, 1h", "1h")
    .option("--now", "stop at once (no drain)")
    .action(async (name: string, opts: { grace: string; now?: boolean }, command: Command) => {
      const graceGiven = command.getOptionValueSource("grace") === "cli";
      if (opts.now && graceGiven) usage("pass either --grace or --now, not both");
      const graceSeconds = opts.now ? 0 : parseGrace(opts.grace);
      const ctx = getContext();
      const stopped = await ctx.client().offers.stop.mutate({ name, graceSeconds });
      printResult(ctx.json, stopped, () =>
        graceSeconds === 0
          ? `Stopped offer "${name}"; it no longer serves.`
          : `Stopping offer "${name}": it keeps serving until ${stopped.drainEndsAt}.`,
      );
    });

  offers
    .command("start <name>")
    .description("end a drain or restart a stopped offer")
    .action(async (name: string) => {
      const ctx = getContext();
      const started = await ctx.client().offers.start.mutate({ name });
      printResult(ctx.json, started, () => `Started offer "${name}".`);
    });

  offers
    .command("delete <name>")
    .description("delete an offer (tombstone: it stops at once and never comes back; the name is free again)")
    .action(async (name: string) => {
      const ctx = getContext();
      const deleted = await ctx.client().offers.delete.mutate({ name });
      printResult(ctx.json, deleted, () => `Deleted offer "${name}".`);
    });

  offers
    .command("probe <name>")
    .description("reconcile now, then GET the offer's path without paying: 402 means live and payment-gated")
    .action(async (name: string) => {
      const ctx = getContext();
      const offer = await ctx.client().offers.probe.mutate({ name });
      const target = `${ctx.url.replace(/\/$/, "")}${offer.path}`;
      let status: number | null = null;
      let error: string | null = null;
      let accepts: unknown = null;
      try {
        const res = await fetch(target, {
          headers: { accept: "application/json" },
          signal: AbortSignal.timeout(10_000),
        });
        status = res.status;
        const header = res.headers.get("payment-required");
        if (header) {
          try {
            accepts =
              (JSON.parse(Buffer.from(header, "base64").toString("utf8")) as { accepts?: unknown }).accepts ?? null;
          } catch {
            accepts = null;
          }
        }
        await res.body?.cancel();
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const live = status === 402;
      const result = { offer, probe: { url: target, status, live, accepts, error } };
      printResult(ctx.json, result, () => {
        const verdict = live
          ? `GET ${target} → 402: live and payment-gated.`
          : `GET ${target} → ${status ?? error}: not live.`;
        return `${verdict}\n\n${renderOffer(offer)}`;
      });
      if (!live) process.exitCode = exitCodes.refused;
    });
}
