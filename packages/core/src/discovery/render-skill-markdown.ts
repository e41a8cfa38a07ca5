import { meteredTokensDescription } from "../pricing/format-price.ts";
import type { DiscoveryInput } from "./discovery-input.ts";
import { discoveryPaths } from "./discovery-input.ts";
import { toPublicUrl } from "./public-base-url.ts";
import type { CatalogService } from "./render-service-catalog.ts";
import { toCatalogServices } from "./render-service-catalog.ts";
import { selectListedOffers } from "./select-listed-offers.ts";

/**
 * Seller-provided text as inert markdown: HTML is escaped (a renderer shows `<script>` as text, never runs
 * it) and line breaks are folded, so it cannot open new blocks either.
 */
export function escapeSellerText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r?\n|\r/g, " ");
}

/** Makes text safe for one cell of a markdown table (no HTML, no pipes, no line breaks). */
function cell(text: string): string {
  return escapeSellerText(text).replace(/\|/g, "\\|").trim() || "—";
}

/** A single-quoted shell word. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The status column: `available`, or `draining · ends <RFC 3339>`. */
export function describeServiceStatus(service: Pick<CatalogService, "drainEndsAt">): string {
  return service.drainEndsAt ? `draining · ends ${service.drainEndsAt}` : "available";
}

function callHint(service: CatalogService): string {
  if (service.type === "inference" || service.type === "agent")
    return `POST ${service.endpoint}/v1/chat/completions (OpenAI-compatible)`;
  return `any method on ${service.endpoint}/… (the path after the endpoint is passed to the service)`;
}

function curlExample(service: CatalogService): string[] {
  if (service.type === "inference" || service.type === "agent") {
    const body = JSON.stringify({
      model: service.model ?? "default",
      messages: [{ role: "user", content: "Hello" }],
    });
    return [
      "# 1. Without payment: HTTP 402 with the requirements (PAYMENT-REQUIRED header and JSON body)",
      `curl -i -X POST ${shellQuote(`${service.endpoint}/v1/chat/completions`)} -H 'content-type: application/json' -d ${shellQuote(body)}`,
      "# 2. With payment: the same request plus a signed PAYMENT-SIGNATURE header (an x402 client adds it)",
      `curl -i -X POST ${shellQuote(`${service.endpoint}/v1/chat/completions`)} -H 'content-type: application/json' -H "PAYMENT-SIGNATURE: $PAYMENT" -d ${shellQuote(body)}`,
    ];
  }
  return [
    "# 1. Without payment: HTTP 402 with the requirements (PAYMENT-REQUIRED header and JSON body)",
    `curl -i ${shellQuote(service.endpoint)}`,
    "# 2. With payment: the same request plus a signed PAYMENT-SIGNATURE header (an x402 client adds it)",
    `curl -i ${shellQuote(service.endpoint)} -H "PAYMENT-SIGNATURE: $PAYMENT"`,
  ];
}

/** The service's row of the `## Services` table. */
export function renderSkillServiceRow(s: CatalogService): string {
  const price = `${s.price}${s.priceApproximation ? " (approx.)" : ""} on ${s.network}${s.testnet ? " (test)" : ""}`;
  return `| ${cell(s.name)} | ${s.type} | ${cell(s.model ?? "—")} | ${cell(price)} | ${describeServiceStatus(s)} | ${cell(s.endpoint)} |`;
}

/** The service's section of `## Service Details` (its lines joined). */
export function renderSkillServiceSection(service: CatalogService): string {
  return serviceSection(service).join("\n");
}

function serviceSection(service: CatalogService): string[] {
  const lines = [
    `### ${escapeSellerText(service.name)}`,
    "",
    `- **Endpoint:** ${service.endpoint}`,
    `- **Call hint:** ${callHint(service)}`,
    `- **Type:** ${service.type}${service.model ? ` · **Model:** ${escapeSellerText(service.model)}` : ""}`,
    `- **Price:** ${service.price} — ${service.amountPerRequest} atomic units per request`,
  ];
  const metered = service.priceApproximation === meteredTokensDescription;
  if (metered) lines.push(`- **Per-token charging:** ${meteredTokensDescription}`);
  else if (service.priceApproximation) lines.push(`- **Approximate price:** ${service.priceApproximation}`);
  lines.push(
    `- **Payment:** x402 ${metered ? "`upto` (Permit2; the 402 lists it first) or `exact` at the maximum" : "`exact`"} on ${service.network} (${service.caip2Network}), ${service.asset.symbol} ${service.asset.address} (${service.asset.decimals} decimals, EIP-712 domain ${service.asset.eip712Domain.name} / ${service.asset.eip712Domain.version}), pay to ${service.payTo}`,
  );
  if (service.testnet) lines.push("- **Test network:** test money only");
  if (service.drainEndsAt)
    lines.push(`- **Drain ends at:** ${service.drainEndsAt} (the service stops after this time)`);
  if (service.registrationPending) lines.push("- **Registration:** on-chain registration pending (the service sells)");
  lines.push(`- **Description:** ${escapeSellerText(service.description)}`, "", "Try it:", "", "```bash");
  lines.push(...curlExample(service), "```", "");
  return lines;
}

/**
 * The fixed parts of `/skill.md` around its per-service rows and sections (SPEC §8 layout); the document is
 * `head`, then each row after a line break, then `details`, then each section after a line break — or
 * `empty` alone when no service is listed.
 */
export function renderSkillFrame(input: Pick<DiscoveryInput, "profile" | "publicBaseUrl">, serviceCount: number) {
  const link = (path: string) => `[${path}](${toPublicUrl(input.publicBaseUrl, path)})`;
  const count = serviceCount === 1 ? "1 service is" : `${serviceCount} services are`;
  const lines = [
    `# ${escapeSellerText(input.profile.displayName)} Service Catalog`,
    "",
    ...(input.profile.tagline ? [escapeSellerText(input.profile.tagline), ""] : []),
    `${count} available. Machine-readable: ${link(discoveryPaths.catalog)} · ${link(discoveryPaths.registration)} (ERC-8004) · schemas: ${link(discoveryPaths.catalogSchema)}.`,
    "",
    "## How to pay (x402)",
    "",
    "1. Call the endpoint without payment: you get **HTTP 402** with the payment requirements, base64 JSON in the `PAYMENT-REQUIRED` header and the same object as the JSON body.",
    "2. Pick an entry of `accepts[]` (scheme `exact`, `network` as CAIP-2, `amount` in atomic units, `asset`, `payTo`).",
    "3. Sign an EIP-3009 `transferWithAuthorization` for exactly that amount to `payTo` with your wallet (an x402 client such as `@x402/fetch` does this).",
    "4. Retry the same request with the `PAYMENT-SIGNATURE` header (x402 v2; `X-PAYMENT` for v1).",
    "5. Receive the response with `PAYMENT-RESPONSE` (`X-PAYMENT-RESPONSE` for v1): the settlement, paid only when the service answered successfully.",
    "",
    "## Services",
    "",
  ];
  return {
    empty: [...lines, "**No services currently available.**", ""].join("\n"),
    head: [...lines, "| Service | Type | Model | Price | Status | Endpoint |", "|---|---|---|---|---|---|"].join("\n"),
    details: ["", "", "## Service Details", ""].join("\n"),
  };
}

/** Renders `/skill.md`: the catalog as markdown for agents (SPEC §8 layout). */
export function renderSkillMarkdown(input: DiscoveryInput): string {
  const services = toCatalogServices(selectListedOffers({ offers: input.offers, now: input.now }), input.publicBaseUrl);
  const frame = renderSkillFrame(input, services.length);
  if (services.length === 0) return frame.empty;
  const rows = services.map((s) => `\n${renderSkillServiceRow(s)}`).join("");
  const sections = services.map((s) => `\n${renderSkillServiceSection(s)}`).join("");
  return `${frame.head}${rows}${frame.details}${sections}`;
}
