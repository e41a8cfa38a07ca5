import type { IncomingMessage } from "node:http";
import {
  buildInferenceRequirements,
  computeSettledAmount,
  computeUptoMaximum,
  createSseUsageReader,
  type ModelEndpoint,
  parseChatRequest,
  providerApiRoot,
  readUsageFromJson,
  rewriteChatRequest,
  type TokenUsage,
} from "@tollgate/core";
import type { PublishedRoute } from "@tollgate/core/runtime/route-table";
import type { PaymentRequirements } from "@x402/core/types";
import { UptoEvmScheme as UptoServerScheme } from "@x402/evm/upto/server";
import type { UptoFacilitator } from "../../chain/upto/create-upto-facilitator.ts";
import type { UptoFacilitators } from "../../chain/upto/start-upto-devnet.ts";

/** A chat completion bought through a model-backed inference offer: where it goes and how it is charged. */
export interface Metering {
  /** The provider's chat completions URL. */
  target: URL;
  /** Provider key for the Authorization header; never logged, never sent to the buyer. */
  apiKey: string | null;
  /** The body sent to the provider (model id rewritten, usage asked for on streams). */
  body: Buffer;
  /** Price per million tokens (atomic) when the offer is per-mtok, else null (charged per request). */
  pricePerMtok: bigint | null;
  /** Reads `usage` from the final stream chunk. */
  sse: ReturnType<typeof createSseUsageReader>;
  usage: TokenUsage | null;
}

/** What the gateway does with a request to a model-backed offer before any payment is read. */
export type PreparedInference =
  | { kind: "respond"; status: number; body: unknown }
  | { kind: "metered"; route: PublishedRoute; metering: Metering };

export interface InferenceGateway {
  prepare(options: { req: IncomingMessage; route: PublishedRoute; rest: string }): Promise<PreparedInference>;
  /** The `upto` facilitator of a chain, or null. */
  uptoFacilitator(chain: string): UptoFacilitator | null;
  /** Usage once the response is read, from a JSON body (buffered responses). */
  readBufferedUsage(metering: Metering, body: Buffer): void;
  /** The requirements to settle: for `upto`, the amount the usage costs (never above the authorized maximum). */
  settlementRequirements(metering: Metering, requirements: PaymentRequirements): PaymentRequirements;
}

const maxBodyBytes = 1024 * 1024;
const uptoServer = new UptoServerScheme();

function invalid(message: string): PreparedInference {
  return {
    kind: "respond",
    status: 400,
    body: { error: message, reason: "invalid_request", code: "VALIDATION_FAILED" },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/**
 * The OpenAI-compatible face of model-backed inference offers (SPEC §13): `GET <endpoint>/v1/models` lists the
 * offer's model (free), `POST <endpoint>/v1/chat/completions` is priced from the request and routed to the
 * model's provider with the provider's key. Per-mtok offers are offered `upto` for the request's maximum (the
 * official `@x402/evm/upto/server` shapes the requirement) and `exact` at that maximum.
 */
export function createInferenceGateway({
  models,
  upto,
}: {
  models: { getModelEndpoint(name: string): Promise<ModelEndpoint | null> };
  upto: UptoFacilitators;
}): InferenceGateway {
  async function uptoExtra(route: PublishedRoute, facilitator: UptoFacilitator | null) {
    if (!facilitator) return null;
    const enhanced = await uptoServer.enhancePaymentRequirements(
      { ...route.requirements, scheme: "upto" },
      { x402Version: 2, scheme: "upto", network: route.requirements.network, extra: facilitator.extra() },
      [],
    );
    return enhanced.extra as Record<string, unknown>;
  }

  return {
    async prepare({ req, route, rest }) {
      const model = route.model ?? "";
      const method = req.method ?? "GET";
      if (method === "GET" && rest === "/v1/models") {
        return {
          kind: "respond",
          status: 200,
          body: { object: "list", data: [{ id: model, object: "model", owned_by: route.name }] },
        };
      }
      if (method !== "POST" || rest !== "/v1/chat/completions") {
        return {
          kind: "respond",
          status: 404,
          body: {
            error: `This inference offer serves POST ${route.path}/v1/chat/completions and GET ${route.path}/v1/models`,
            reason: "no_such_endpoint",
            code: "NOT_FOUND",
          },
        };
      }
      const raw = await readBody(req);
      if (!raw)
        return {
          kind: "respond",
          status: 413,
          body: { error: "The request body is over 1 MiB", code: "PAYLOAD_TOO_LARGE" },
        };
      const parsed = parseChatRequest(raw);
      if (!parsed.ok) return invalid(parsed.message);
      const endpoint = await models.getModelEndpoint(model);
      if (!endpoint) {
        return {
          kind: "respond",
          status: 503,
          body: { error: "The model is not available", reason: "model_unavailable", retriable: true },
        };
      }
      const metering: Metering = {
        target: new URL(`${providerApiRoot(endpoint.baseUrl)}/chat/completions`),
        apiKey: endpoint.apiKey,
        body: rewriteChatRequest(parsed.request, endpoint.upstreamModel),
        pricePerMtok: route.unit === "mtok" && route.unitPriceAtomic ? BigInt(route.unitPriceAtomic) : null,
        sse: createSseUsageReader(),
        usage: null,
      };
      if (metering.pricePerMtok === null) return { kind: "metered", route, metering };
      const maximum = computeUptoMaximum({
        promptEstimate: parsed.request.promptEstimate,
        maxTokens: parsed.request.maxTokens,
        modelMaxTokens: endpoint.maxTokens,
        pricePerMtok: metering.pricePerMtok,
      });
      const accepts = buildInferenceRequirements({
        exact: route.requirements,
        maximum: maximum.amount,
        uptoExtra: await uptoExtra(route, upto.get(route.chain)),
      });
      const exact = accepts.find((r) => r.scheme === "exact") ?? route.requirements;
      return { kind: "metered", route: { ...route, requirements: exact, accepts }, metering };
    },
    uptoFacilitator: (chain) => upto.get(chain),
    readBufferedUsage(metering, body) {
      metering.usage = readUsageFromJson(body);
    },
    settlementRequirements(metering, requirements) {
      if (requirements.scheme !== "upto" || metering.pricePerMtok === null) return requirements;
      const amount = computeSettledAmount({
        totalTokens: metering.usage?.totalTokens ?? null,
        pricePerMtok: metering.pricePerMtok,
        maximum: BigInt(requirements.amount),
      });
      return { ...requirements, amount: amount.toString() };
    },
  };
}
