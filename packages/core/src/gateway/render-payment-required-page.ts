import type { PaymentRequired } from "@x402/core/types";
import type { PublishedRoute } from "../runtime/route-table.ts";

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/**
 * The human 402 page a browser gets (`Accept: text/html`): what the service costs, on which chain, to
 * whom, and a runnable x402 client snippet. The machine-readable challenge travels in the headers as usual.
 */
export function renderPaymentRequiredPage({
  route,
  paymentRequired,
  chainDisplayName,
  assetSymbol,
}: {
  route: PublishedRoute;
  paymentRequired: PaymentRequired;
  chainDisplayName: string;
  assetSymbol: string;
}): string {
  const requirement = paymentRequired.accepts[0];
  const url = paymentRequired.resource.url;
  const rows: [string, string][] = [
    ["Price", route.priceDisplay],
    ["Chain", `${chainDisplayName} (${requirement?.network ?? ""})${route.testnet ? " — test money" : ""}`],
    ["Asset", `${assetSymbol} ${requirement?.asset ?? ""}`],
    ["Amount (atomic units)", requirement?.amount ?? ""],
    ["Pay to", requirement?.payTo ?? ""],
    ["Scheme", `${requirement?.scheme ?? ""} (x402 v2, EIP-3009 transferWithAuthorization)`],
  ];
  if (route.drainEndsAt) rows.push(["Available until", route.drainEndsAt]);
  const network = requirement?.network ?? "eip155:*";
  const snippet = `import { wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { privateKeyToAccount } from "viem/accounts";

const buyerKey = "0x…"; // your wallet's key, never committed: load it from your secrets
const account = privateKeyToAccount(buyerKey);
const client = x402Client.fromConfig({
  schemes: [{ network: "${network}", client: new ExactEvmScheme(account) }],
  spendControls: { allowedAssets: [{ network: "${network}", asset: "${requirement?.asset ?? ""}", maxAmountPerPayment: "${requirement?.amount ?? ""}" }] },
});
const pay = wrapFetchWithPayment(fetch, client);
const res = await pay("${url}");
console.log(res.status, await res.text());`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Payment required — ${escapeHtml(route.name)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.5}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}td{padding:.35rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
td:first-child{color:#59636e;white-space:nowrap}code,pre{font-family:ui-monospace,monospace;font-size:.85rem}
pre{background:#f6f8fa;padding:1rem;overflow-x:auto;border-radius:6px}.note{color:#59636e;font-size:.9rem}
</style>
</head>
<body>
<h1>402 Payment required: ${escapeHtml(route.name)}</h1>
<p>${escapeHtml(paymentRequired.resource.description ?? "")}</p>
<p>This endpoint is paid per request with <a href="https://x402.org">x402</a>. Each call carries a signed
stablecoin authorization; it is settled on chain only when the service answers successfully.</p>
<table>
${rows.map(([label, value]) => `<tr><td>${escapeHtml(label)}</td><td><code>${escapeHtml(value)}</code></td></tr>`).join("\n")}
</table>
<h2>How to pay</h2>
<p>Use any x402 client. It reads the <code>PAYMENT-REQUIRED</code> header of this response, signs the
authorization and retries with a <code>PAYMENT-SIGNATURE</code> header. With the official TypeScript client:</p>
<pre><code>${escapeHtml(snippet)}</code></pre>
<p class="note">Machine-readable catalog: <a href="/api/services.json">/api/services.json</a> · for agents: <a href="/skill.md">/skill.md</a></p>
</body>
</html>
`;
}
