import type { CatalogService } from "@tollgate/core/discovery/index";

/** The request a buyer sends to an offer: inference takes a chat completion, everything else a GET. */
function requestFor(service: CatalogService): { url: string; method: "GET" | "POST"; body?: string } {
  if (service.type === "inference") {
    return {
      url: `${service.endpoint}/v1/chat/completions`,
      method: "POST",
      body: JSON.stringify({ model: service.model ?? "default", messages: [{ role: "user", content: "Hello" }] }),
    };
  }
  return { url: service.endpoint, method: "GET" };
}

/** `curl` that shows the 402 challenge (the PAYMENT-REQUIRED header carries the same object, base64). */
export function renderCurlSnippet(service: CatalogService): string {
  const req = requestFor(service);
  const lines = [`curl -i ${req.method === "POST" ? "-X POST " : ""}'${req.url}'`];
  if (req.body) lines.push(`  -H 'content-type: application/json'`, `  -d '${req.body}'`);
  return `# Without a payment: HTTP 402 and what to pay\n${lines.join(" \\\n")}`;
}

/** A complete `@x402/fetch` buyer for this offer. */
export function renderX402FetchSnippet(service: CatalogService): string {
  const req = requestFor(service);
  const init =
    req.method === "POST"
      ? `, {\n  method: "POST",\n  headers: { "content-type": "application/json" },\n  body: JSON.stringify(${req.body}),\n}`
      : "";
  return `import { ExactEvmScheme } from "@x402/evm/exact/client";
import { wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { privateKeyToAccount } from "viem/accounts";

// The buyer's wallet: it signs an EIP-3009 authorization, it never sends a transaction itself.
const account = privateKeyToAccount(BUYER_PRIVATE_KEY);
const client = x402Client.fromConfig({
  schemes: [{ network: "${service.caip2Network}", client: new ExactEvmScheme(account) }],
  spendControls: {
    allowedAssets: [
      { network: "${service.caip2Network}", asset: "${service.asset.address}", maxAmountPerPayment: "${service.amountPerRequest}" },
    ],
  },
});
const fetchWithPayment = wrapFetchWithPayment(fetch, client);

const response = await fetchWithPayment("${req.url}"${init});
console.log(response.status, await response.text());`;
}
