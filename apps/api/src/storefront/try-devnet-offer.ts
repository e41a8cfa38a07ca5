import { type OfferView, TollgateError } from "@tollgate/core";
import type { DevnetInfo } from "@tollgate/core/chains/index";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { TryDevnetOfferResult, TryStep } from "@tollgate/core/storefront/index";

const devnetNetwork = "eip155:31337";
const bodyLimit = 4_096;

function decodeBase64Json(value: string): unknown {
  return JSON.parse(Buffer.from(value, "base64").toString("utf8"));
}

function readSignedStep(header: string): TryStep | null {
  try {
    const payload = decodeBase64Json(header) as {
      payload?: { authorization?: Record<string, string> };
    };
    const auth = payload.payload?.authorization;
    if (!auth) return null;
    return {
      kind: "signed",
      header: header.length > 96 ? `${header.slice(0, 96)}…` : header,
      payer: String(auth.from ?? ""),
      to: String(auth.to ?? ""),
      value: String(auth.value ?? ""),
      nonce: String(auth.nonce ?? ""),
      validBefore: String(auth.validBefore ?? ""),
    };
  } catch {
    return null;
  }
}

/** The request Try it sends to an offer: inference gets a tiny chat completion, everything else a GET. */
function buildTryRequest(offer: OfferView, origin: string): { url: string; init: RequestInit } {
  if (offer.type === "inference") {
    return {
      url: `${origin}${offer.path}/v1/chat/completions`,
      init: {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: offer.model ?? "default",
          messages: [{ role: "user", content: "Hello from the Tollgate storefront" }],
          max_tokens: 32,
        }),
      },
    };
  }
  return { url: `${origin}${offer.path}`, init: { method: "GET", headers: { accept: "application/json" } } };
}

/**
 * Try it (devnet only): pays an offer on the local devnet with the devnet buyer account through the
 * official `@x402/fetch` client against this server's own gateway, and reports each step: the 402
 * challenge, the signed authorization, the paid response with its settlement transaction. It refuses every
 * chain but `local`: a server-held key must never pay with real money.
 */
export async function tryDevnetOffer(options: {
  name: string;
  /** Loopback origin of this server (the gateway answers there). */
  origin: string;
  showOffer: (name: string) => Promise<OfferView>;
  devnetInfo: () => Promise<DevnetInfo | null>;
  fetchImpl?: typeof fetch;
}): Promise<TryDevnetOfferResult> {
  const offer = await options.showOffer(options.name);
  if (offer.payment.chain !== "local") {
    throw new TollgateError(
      "FORBIDDEN",
      "Try it pays with the devnet buyer account: it works for local devnet offers only",
      {
        hint: "Pay this offer with your own x402 client (see the snippets on this page).",
      },
    );
  }
  if (offer.state === "deleted") throw new TollgateError("NOT_FOUND", `no offer named "${options.name}"`);
  const devnet = await options.devnetInfo();
  const buyerKey = devnet?.accounts.buyer.privateKey;
  if (!devnet?.running || !buyerKey) {
    throw new TollgateError("NOT_READY", "The local devnet is not running, so there is no test buyer to pay with");
  }
  const baseFetch = options.fetchImpl ?? fetch;
  const steps: TryStep[] = [];
  const spyFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const paymentHeader = request.headers.get("payment-signature") ?? request.headers.get("x-payment");
    if (paymentHeader) {
      const signed = readSignedStep(paymentHeader);
      if (signed) steps.push(signed);
    }
    const response = await baseFetch(request);
    if (response.status === 402 && !paymentHeader) {
      try {
        const required = (await response.clone().json()) as { accepts?: TryStep[] };
        const accepts = (Array.isArray(required.accepts) ? required.accepts : []) as Array<Record<string, unknown>>;
        steps.push({
          kind: "challenge",
          status: 402,
          accepts: accepts.map((a) => ({
            scheme: String(a.scheme ?? ""),
            network: String(a.network ?? ""),
            amount: String(a.amount ?? a.maxAmountRequired ?? ""),
            asset: String(a.asset ?? ""),
            payTo: String(a.payTo ?? ""),
            maxTimeoutSeconds: Number(a.maxTimeoutSeconds ?? 0),
          })),
        });
      } catch {
        steps.push({ kind: "challenge", status: 402, accepts: [] });
      }
    }
    return response;
  };

  const account = privateKeyToAccount(buyerKey as Hex);
  const client = x402Client.fromConfig({
    schemes: [{ network: devnetNetwork, client: new ExactEvmScheme(account) }],
    // Allow exactly the devnet token, up to the offer's own price.
    spendControls: {
      allowedAssets: [
        { network: devnetNetwork, asset: devnet.usdc, maxAmountPerPayment: offer.payment.amountPerRequest ?? "0" },
      ],
    },
  });
  const payingFetch = wrapFetchWithPayment(spyFetch, client);
  const { url, init } = buildTryRequest(offer, options.origin);
  const result: TryDevnetOfferResult = {
    offer: offer.name,
    method: init.method ?? "GET",
    url,
    ok: false,
    steps,
    error: null,
  };
  try {
    const response = await payingFetch(url, init);
    const text = await response.text();
    const receipt = response.headers.get("payment-response") ?? response.headers.get("x-payment-response");
    let txHash: string | null = null;
    let network: string | null = null;
    if (receipt) {
      try {
        const settled = decodePaymentResponseHeader(receipt);
        txHash = settled.transaction || null;
        network = settled.network ?? null;
      } catch {
        // An unreadable receipt is shown as missing.
      }
    }
    steps.push({
      kind: "response",
      status: response.status,
      contentType: response.headers.get("content-type"),
      body: text.length > bodyLimit ? `${text.slice(0, bodyLimit)}…` : text,
      txHash,
      network,
    });
    result.ok = response.ok && txHash !== null;
    if (!response.ok) result.error = `The gateway answered ${response.status}`;
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  return result;
}
