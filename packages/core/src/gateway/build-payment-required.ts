import type { PaymentRequired, PaymentRequirements } from "@x402/core/types";
import type { PaymentRequirementsV1 } from "@x402/core/types/v1";
import type { PublishedRoute } from "../runtime/route-table.ts";

/** x402 v1 network names for the chains Tollgate knows; chains without one use their CAIP-2 id. */
const v1NetworkNames: Record<string, string> = {
  "eip155:1": "ethereum",
  "eip155:8453": "base",
  "eip155:84532": "base-sepolia",
};

/** The x402 v1 network name for a CAIP-2 id (the id itself when v1 has no name for it). */
export function toV1Network(caip2: string): string {
  return v1NetworkNames[caip2] ?? caip2;
}

/** The absolute URL of the resource a buyer pays for: the public base URL plus the request path. */
export function buildResourceUrl({
  publicBaseUrl,
  requestPath,
}: {
  publicBaseUrl: string;
  requestPath: string;
}): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}${requestPath.startsWith("/") ? "" : "/"}${requestPath}`;
}

function describeRoute(route: PublishedRoute): string {
  return route.description.trim() || `${route.name} (${route.priceDisplay})`;
}

/** The x402 v2 `PaymentRequired` object for a route: sent base64 in `PAYMENT-REQUIRED` and as the 402 body. */
export function buildPaymentRequired({
  route,
  resourceUrl,
  error,
}: {
  route: PublishedRoute;
  resourceUrl: string;
  error: string;
}): PaymentRequired {
  return {
    x402Version: 2,
    error,
    resource: { url: resourceUrl, description: describeRoute(route), mimeType: "application/json" },
    accepts: route.accepts ?? [route.requirements],
  };
}

/** The x402 v1 402 body (`{x402Version: 1, error, accepts}`) for a client that paid with `X-PAYMENT`. */
export function buildPaymentRequiredV1({
  route,
  resourceUrl,
  error,
}: {
  route: PublishedRoute;
  resourceUrl: string;
  error: string;
}): { x402Version: 1; error: string; accepts: PaymentRequirementsV1[] } {
  return {
    x402Version: 1,
    error,
    accepts: [toRequirementsV1({ requirements: route.requirements, route, resourceUrl })],
  };
}

/** Translates v2 requirements into their v1 form (`maxAmountRequired`, resource info per requirement). */
export function toRequirementsV1({
  requirements,
  route,
  resourceUrl,
}: {
  requirements: PaymentRequirements;
  route: PublishedRoute;
  resourceUrl: string;
}): PaymentRequirementsV1 {
  return {
    scheme: requirements.scheme,
    network: toV1Network(requirements.network) as PaymentRequirementsV1["network"],
    maxAmountRequired: requirements.amount,
    resource: resourceUrl,
    description: describeRoute(route),
    mimeType: "application/json",
    outputSchema: {},
    payTo: requirements.payTo,
    maxTimeoutSeconds: requirements.maxTimeoutSeconds,
    asset: requirements.asset,
    extra: requirements.extra,
  };
}
