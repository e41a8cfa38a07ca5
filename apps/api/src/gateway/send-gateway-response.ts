import type { ServerResponse } from "node:http";
import {
  buildPaymentRequired,
  buildPaymentRequiredV1,
  encodeBase64Json,
  type GatewayErrorBody,
  summarizeFacilitatorMessage,
} from "@tollgate/core/gateway/index";
import type { PublishedRoute } from "@tollgate/core/runtime/route-table";
import type { SettleResponse } from "@x402/core/types";
import { sendJson } from "../http/send.ts";

/** Lets browser x402 clients read the payment headers cross-origin. */
export const exposePaymentHeaders = {
  "access-control-expose-headers": "PAYMENT-REQUIRED, PAYMENT-RESPONSE, X-PAYMENT-RESPONSE",
};

const catalogLink = { link: '</api/services.json>; rel="catalog"' };

/**
 * A 402 for this route: v2 sends the `PaymentRequired` object base64 in `PAYMENT-REQUIRED` and as the
 * body (plus `reason`); v1 (the buyer paid with `X-PAYMENT`) sends the v1 body.
 */
export function sendPaymentRequired({
  res,
  route,
  resourceUrl,
  version,
  reason,
  message,
  settleResponse,
}: {
  res: ServerResponse;
  route: PublishedRoute;
  resourceUrl: string;
  version: 1 | 2;
  reason: string;
  message: string;
  settleResponse?: SettleResponse;
}): void {
  // The buyer gets the reason code and a short message; the facilitator's full error stays in the log.
  const receipt = settleResponse
    ? encodeBase64Json({ ...settleResponse, errorMessage: summarizeFacilitatorMessage(settleResponse.errorMessage) })
    : undefined;
  if (version === 1) {
    const body = { ...buildPaymentRequiredV1({ route, resourceUrl, error: message }), reason };
    sendJson(res, 402, body, {
      ...catalogLink,
      ...exposePaymentHeaders,
      ...(receipt ? { "x-payment-response": receipt } : {}),
    });
    return;
  }
  const paymentRequired = buildPaymentRequired({ route, resourceUrl, error: message });
  sendJson(
    res,
    402,
    { ...paymentRequired, reason },
    {
      "payment-required": encodeBase64Json(paymentRequired),
      ...catalogLink,
      ...exposePaymentHeaders,
      ...(receipt ? { "payment-response": receipt } : {}),
    },
  );
}

/** The unpaid 402 of a route, pre-rendered: requirements are deterministic per route generation. */
export interface RenderedChallenge {
  header: string;
  body: string;
}

/**
 * Caches rendered challenges per published route object (a new generation is a new object) and resource
 * URL, with a bounded number of URLs per route, so the 402 path does no JSON or base64 work when repeated.
 */
export function createChallengeCache({ maxUrlsPerRoute = 256 }: { maxUrlsPerRoute?: number } = {}) {
  const byRoute = new WeakMap<PublishedRoute, Map<string, RenderedChallenge>>();
  return {
    get(route: PublishedRoute, resourceUrl: string): RenderedChallenge {
      let byUrl = byRoute.get(route);
      const hit = byUrl?.get(resourceUrl);
      if (hit) return hit;
      const paymentRequired = buildPaymentRequired({ route, resourceUrl, error: "Payment required" });
      const rendered = {
        header: encodeBase64Json(paymentRequired),
        body: JSON.stringify({ ...paymentRequired, reason: "payment_required" }),
      };
      if (!byUrl) {
        byUrl = new Map();
        byRoute.set(route, byUrl);
      }
      if (byUrl.size < maxUrlsPerRoute) byUrl.set(resourceUrl, rendered);
      return rendered;
    },
  };
}

/** Sends a cached unpaid challenge: the same bytes `sendPaymentRequired` would build. */
export function sendChallenge(res: ServerResponse, challenge: RenderedChallenge): void {
  res.writeHead(402, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(challenge.body),
    "cache-control": "no-store",
    "payment-required": challenge.header,
    ...catalogLink,
    ...exposePaymentHeaders,
  });
  res.end(challenge.body);
}

/** A gateway refusal that is not a 402 (400 malformed, 404, 502, 503). */
export function sendGatewayError(
  res: ServerResponse,
  status: number,
  body: GatewayErrorBody,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, body, { ...exposePaymentHeaders, ...headers });
}

/** The unpaid challenge for a browser: the same 402 and headers, with a human page as the body. */
export function sendPaymentRequiredPage({
  res,
  html,
  paymentRequiredHeader,
}: {
  res: ServerResponse;
  html: string;
  paymentRequiredHeader: string;
}): void {
  res.writeHead(402, {
    "content-type": "text/html; charset=utf-8",
    // The page is static: its own inline style, nothing else, never framed.
    "content-security-policy":
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "content-length": Buffer.byteLength(html),
    "cache-control": "no-store",
    "payment-required": paymentRequiredHeader,
    ...catalogLink,
    ...exposePaymentHeaders,
  });
  res.end(html);
}
