import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { findChainByName } from "@tollgate/core/chains/index";
import type { EventPublisher } from "@tollgate/core/events/index";
import { classifySettlement, type Facilitator, type SettlementOutcome } from "@tollgate/core/facilitator/index";
import {
  buildClientResponseHeaders,
  buildGatewayError,
  buildPaymentRequired,
  buildResourceUrl,
  buildUpstreamRequestHeaders,
  encodeBase64Json,
  gatewayReasons,
  matchPaymentRequirement,
  parsePaymentHeader,
  readPaymentAuthorization,
  renderPaymentRequiredPage,
  summarizeFacilitatorMessage,
} from "@tollgate/core/gateway/index";
import type { FunnelRecorder } from "@tollgate/core/analytics/index";
import { findOwnEndpointUpstream, type OwnEndpoints } from "@tollgate/core/offers/index";
import type { PaymentRepository } from "@tollgate/core/payments/index";
import type { ChainRuntime } from "@tollgate/core/runtime/chain-runtime";
import type { PublishedRoute, RouteTable } from "@tollgate/core/runtime/route-table";
import type { PaymentPayload, PaymentRequirements, SettleResponse } from "@x402/core/types";
import type { Logger } from "../logger.ts";
import { describeRequestOutcome, type Metrics, type OfferLabels } from "../metrics/create-metrics.ts";
import {
  BodyTooLargeError,
  declaresBodyOver,
  defaultMaxPaidBodyBytes,
  describeBytes,
  limitBody,
  refuseBody,
} from "../security/body-limit.ts";
import {
  createChallengeCache,
  exposePaymentHeaders,
  sendChallenge,
  sendGatewayError,
  sendPaymentRequired,
  sendPaymentRequiredPage,
} from "./send-gateway-response.ts";
import { sendJson } from "../http/send.ts";
import type { InferenceGateway, Metering } from "./inference/create-inference-gateway.ts";
import { forwardToProvider, readAll, redactSecret } from "./inference/forward-to-provider.ts";
import { createStageClock, type StageClock } from "./settle-stage-clock.ts";
import { buildUpstreamUrl, createUpstreamClient, type UpstreamClient } from "./upstream-client.ts";

/** The x402 gateway for published routes (SPEC §7). */
export interface Gateway {
  /** True for paths the gateway answers: everything under `/services` and every published route. */
  handles(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Closes idle upstream sockets. */
  close(): void;
}

export interface GatewayOptions {
  routes: RouteTable;
  chains: ChainRuntime;
  payments: PaymentRepository;
  metrics: Metrics;
  /** Base of `resource.url` in challenges (https behind a TLS proxy); a function follows the live setting. */
  publicBaseUrl: string | (() => string);
  log: Pick<Logger, "warn" | "error">;
  upstream?: UpstreamClient;
  /** A non-streaming upstream body is held until settlement up to this size; past it, settlement happens then. */
  bufferLimitBytes?: number;
  /** The live stream (admin UI): told when a payment reaches settled or settle_failed. */
  events?: EventPublisher;
  /** Seller analytics: counts 402 challenges and refusals before a payment row (no row per request). */
  funnel?: FunnelRecorder;
  /** The largest request body forwarded upstream; larger ones get 413 (before verification when declared). */
  maxBodyBytes?: number;
  /** Model-backed inference offers: OpenAI-compatible routing to providers, per-token charging with `upto`. */
  inference?: InferenceGateway;
  /** The server's own ports (itself, its PostgreSQL, the devnet): an upstream reaching one is never called. */
  ownEndpoints?: OwnEndpoints;
  /**
   * A `Server-Timing` header on paid responses with where the time went (verify, insert, upstream, prepare,
   * delivered, broadcast, receipt, ledger): the settlement benchmark's latency breakdown. Off in the server.
   */
  serverTiming?: boolean;
}

type PaymentContext = {
  id: string;
  route: PublishedRoute;
  labels: OfferLabels;
  facilitator: Facilitator;
  payload: PaymentPayload;
  requirements: PaymentRequirements;
  version: 1 | 2;
  resourceUrl: string;
  started: number;
  /** As the facilitator reported it (checksummed), for `X-Payment-Payer`. */
  payer: string;
  /** A model-backed inference request: provider target, key, usage and per-token pricing. */
  metering?: Metering | undefined;
  /** Stage timings for `Server-Timing` (only with `serverTiming`). */
  clock?: StageClock | undefined;
  /** The row holds its settlement transaction's hash (written before the broadcast, durably). */
  hashRecorded?: boolean;
};

function wantsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? "";
  return accept.includes("text/html");
}

function isEventStream(headers: IncomingMessage["headers"]): boolean {
  return (headers["content-type"] ?? "").toLowerCase().startsWith("text/event-stream");
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function tooLargeBody(maxBytes: number) {
  return buildGatewayError({
    code: "PAYLOAD_TOO_LARGE",
    reason: gatewayReasons.payloadTooLarge,
    message: `The request body is larger than ${describeBytes(maxBytes)}; you were not charged`,
  });
}

/**
 * Builds the gateway: route lookup → 402 challenge, or verify with the chain's facilitator → record the
 * payment (the unique key refuses replays) → proxy to the upstream → settle before the response is released
 * (after the stream for `text/event-stream`) → `PAYMENT-RESPONSE`.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { routes, chains, payments, metrics, log } = options;
  const readBaseUrl = options.publicBaseUrl;
  const currentBaseUrl = () => (typeof readBaseUrl === "function" ? readBaseUrl() : readBaseUrl).replace(/\/+$/, "");
  const upstream =
    options.upstream ?? createUpstreamClient(options.ownEndpoints ? { ownEndpoints: options.ownEndpoints } : {});
  const bufferLimit = options.bufferLimitBytes ?? 8 * 1024 * 1024;
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxPaidBodyBytes;
  const challenges = createChallengeCache();
  /** The offer's own limit on a paid request's body, else the server's. */
  const bodyLimitOf = (route: PublishedRoute) => route.maxBodyBytes ?? maxBodyBytes;
  /** Whether an upstream reaches one of our own ports, decided once per upstream URL (the ports are fixed). */
  const ownPortVerdicts = new Map<string, string | null>();
  const ownPortOf = (upstreamUrl: string): string | null => {
    const own = options.ownEndpoints;
    if (!own) return null;
    let verdict = ownPortVerdicts.get(upstreamUrl);
    if (verdict === undefined) {
      if (ownPortVerdicts.size >= 10_000) ownPortVerdicts.clear();
      verdict = findOwnEndpointUpstream(upstreamUrl, own);
      ownPortVerdicts.set(upstreamUrl, verdict);
    }
    return verdict;
  };

  const elapsed = (started: number) => Math.round(performance.now() - started);

  /**
   * Settles through the facilitator; a thrown error becomes a failed settle response. The row becomes
   * `delivered` with the transaction hash before the transaction is broadcast (an in-process facilitator calls
   * the hook; a remote one cannot, and the row moves at the end).
   */
  async function settle(ctx: PaymentContext, upstreamStatus: number): Promise<SettleResponse> {
    const began = performance.now();
    try {
      const { clock } = ctx;
      return await ctx.facilitator.settle(ctx.payload, await meteredRequirements(ctx), {
        beforeBroadcast: async (txHash) => {
          clock?.mark("prepare");
          const moved = await payments.transition(ctx.id, "delivered", { upstreamStatus, txHash });
          ctx.hashRecorded = moved || (await payments.annotatePending(ctx.id, { txHash }));
          // No row to hold the hash (already final, or lost by a database crash): nothing may be broadcast.
          if (!ctx.hashRecorded) throw new Error(`payment ${ctx.id} cannot record its transaction hash`);
          clock?.mark("delivered");
        },
        ...(clock ? { afterBroadcast: () => clock.mark("broadcast") } : {}),
      });
    } catch (error) {
      log.warn({ err: error, offer: ctx.route.name, payment: ctx.id }, "settlement threw");
      return {
        success: false,
        errorReason: "unexpected_settle_error",
        errorMessage: errorMessage(error),
        transaction: "",
        network: ctx.requirements.network,
      };
    } finally {
      metrics.observeSettlement({ chain: ctx.labels.chain }, (performance.now() - began) / 1000);
    }
  }

  /** The requirements to settle; for metered inference, records the usage and the amount it costs first. */
  async function meteredRequirements(ctx: PaymentContext) {
    const { metering } = ctx;
    if (!metering || !options.inference) return ctx.requirements;
    const requirements = options.inference.settlementRequirements(metering, ctx.requirements);
    ctx.requirements = requirements;
    await payments
      .annotatePending(ctx.id, {
        amount: requirements.amount,
        promptTokens: metering.usage?.promptTokens ?? null,
        completionTokens: metering.usage?.completionTokens ?? null,
        totalTokens: metering.usage?.totalTokens ?? null,
      })
      .catch((error) => log.error({ err: error, payment: ctx.id }, "could not record the token usage"));
    return requirements;
  }

  /** Records what the settlement did; returns its meaning (a pending settlement still serves the buyer). */
  async function recordSettlement(ctx: PaymentContext, result: SettleResponse, upstreamStatus: number) {
    const outcome = classifySettlement(result);
    try {
      await recordSettlementRow(ctx, outcome, result, upstreamStatus);
    } finally {
      options.events?.publish({
        type: "payment.changed",
        paymentId: ctx.id,
        offerName: ctx.route.name,
        chain: ctx.labels.chain,
        state:
          outcome.status === "settled"
            ? "settled"
            : outcome.status === "pending"
              ? "settlement_pending"
              : "settle_failed",
        amount: ctx.requirements.amount,
        txHash: result.transaction || null,
        at: new Date().toISOString(),
      });
    }
    return outcome;
  }

  async function recordSettlementRow(
    ctx: PaymentContext,
    outcome: SettlementOutcome,
    result: SettleResponse,
    upstreamStatus: number,
  ) {
    if (outcome.status === "settled") {
      // With the hash already recorded, the move need not wait for the disk: were the database to lose it in a
      // crash, the row is `delivered` with its hash and recovery settles it from the chain.
      await payments.transition(
        ctx.id,
        "settled",
        { txHash: outcome.txHash, settledAt: new Date(), upstreamStatus, latencyMs: elapsed(ctx.started) },
        { durable: !ctx.hashRecorded },
      );
      metrics.settled(ctx.labels);
    } else if (outcome.status === "pending") {
      // Broadcast, not confirmed in time: the money may still move, so the buyer is served with the hash and
      // recovery settles the row from the chain (never a 402 that would invite a second payment).
      await payments.transition(ctx.id, "settlement_pending", {
        reason: result.errorReason ?? null,
        message: result.errorMessage ?? null,
        txHash: outcome.txHash,
        upstreamStatus,
        latencyMs: elapsed(ctx.started),
      });
      log.warn(
        { offer: ctx.route.name, payment: ctx.id, tx: outcome.txHash },
        "settlement unconfirmed; served with the transaction hash, recovery will resolve the row",
      );
    } else {
      await payments.transition(ctx.id, "settle_failed", {
        reason: outcome.reason,
        message: result.errorMessage ?? null,
        txHash: outcome.txHash,
        upstreamStatus,
        latencyMs: elapsed(ctx.started),
      });
      metrics.failed({ ...ctx.labels, reason: gatewayReasons.settlementFailed });
      log.warn(
        { offer: ctx.route.name, payment: ctx.id, reason: result.errorReason, message: result.errorMessage },
        "settlement failed; the response was withheld",
      );
    }
  }

  async function recordUpstreamFailure(
    ctx: PaymentContext,
    reason: string,
    update: { upstreamStatus?: number | null; message?: string },
  ) {
    await payments
      .transition(ctx.id, "upstream_failed", {
        reason,
        message: update.message ?? null,
        upstreamStatus: update.upstreamStatus ?? null,
        latencyMs: elapsed(ctx.started),
      })
      .catch((error) => log.error({ err: error, payment: ctx.id }, "could not record an upstream failure"));
    metrics.upstreamFailure(ctx.labels);
    metrics.failed({ ...ctx.labels, reason });
  }

  function receiptHeaders(ctx: PaymentContext, result: SettleResponse): Record<string, string> {
    const encoded = encodeBase64Json(result);
    return ctx.version === 1 ? { "x-payment-response": encoded } : { "payment-response": encoded };
  }

  /** Upstream ≥ 400: passed through as it is, nothing settled. */
  async function passThroughFailure(ctx: PaymentContext, upstreamRes: IncomingMessage, res: ServerResponse) {
    await recordUpstreamFailure(ctx, gatewayReasons.upstreamError, { upstreamStatus: upstreamRes.statusCode ?? 502 });
    const headers: Record<string, string | string[]> = {
      ...buildClientResponseHeaders(upstreamRes.headers),
      ...exposePaymentHeaders,
    };
    if (ctx.metering?.apiKey) {
      // A provider may quote the key in its error ("Incorrect API key provided: sk-…"): never pass it on.
      const body = redactSecret(await readAll(upstreamRes), ctx.metering.apiKey);
      res.writeHead(upstreamRes.statusCode ?? 502, { ...headers, "content-length": String(body.length) });
      res.end(body);
      return;
    }
    res.writeHead(upstreamRes.statusCode ?? 502, headers);
    upstreamRes.pipe(res);
  }

  /** A regular response: held (up to the limit) until settled, then released with the receipt. */
  async function deliverBuffered(ctx: PaymentContext, upstreamRes: IncomingMessage, res: ServerResponse) {
    const status = upstreamRes.statusCode ?? 200;
    const chunks: Buffer[] = [];
    let size = 0;
    const outcome = await new Promise<"end" | "overflow" | Error>((resolve) => {
      const onData = (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= bufferLimit) {
          upstreamRes.pause();
          upstreamRes.off("data", onData);
          resolve("overflow");
        }
      };
      upstreamRes.on("data", onData);
      upstreamRes.once("end", () => resolve("end"));
      upstreamRes.once("error", (error) => resolve(error));
      upstreamRes.once("aborted", () => resolve(new Error("upstream aborted the response")));
    });
    if (outcome instanceof Error) {
      await recordUpstreamFailure(ctx, gatewayReasons.upstreamError, {
        upstreamStatus: status,
        message: outcome.message,
      });
      return sendGatewayError(
        res,
        502,
        buildGatewayError({
          code: "CHAIN_ERROR",
          reason: gatewayReasons.upstreamError,
          message: "The service failed while answering; you were not charged",
        }),
      );
    }
    if (res.destroyed) {
      upstreamRes.destroy();
      return recordUpstreamFailure(ctx, gatewayReasons.clientClosed, {
        upstreamStatus: status,
        message: "The buyer went away before settlement; nothing was charged",
      });
    }
    if (ctx.metering && outcome === "end") options.inference?.readBufferedUsage(ctx.metering, Buffer.concat(chunks));
    ctx.clock?.mark("upstream");
    const result = await settle(ctx, status);
    ctx.clock?.mark("receipt");
    const settlement = await recordSettlement(ctx, result, status);
    ctx.clock?.mark("ledger");
    if (settlement.status === "failed") {
      upstreamRes.destroy();
      return sendPaymentRequired({
        res,
        route: ctx.route,
        resourceUrl: ctx.resourceUrl,
        version: ctx.version,
        reason: gatewayReasons.settlementFailed,
        message: `Settlement failed (${result.errorReason ?? "unknown"}); the response was withheld and nothing was charged`,
        settleResponse: result,
      });
    }
    const headers: Record<string, string | string[]> = {
      ...buildClientResponseHeaders(upstreamRes.headers),
      ...exposePaymentHeaders,
      ...receiptHeaders(ctx, result),
      ...(ctx.clock ? { "server-timing": ctx.clock.header() } : {}),
    };
    if (outcome === "end") {
      headers["content-length"] = String(size);
      res.writeHead(status, headers);
      res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      return;
    }
    res.writeHead(status, headers);
    for (const chunk of chunks) res.write(chunk);
    upstreamRes.pipe(res);
    upstreamRes.resume();
  }

  /** `text/event-stream`: streamed as it comes; settled after the stream ends, only if bytes were delivered. */
  async function deliverStream(ctx: PaymentContext, upstreamRes: IncomingMessage, res: ServerResponse) {
    const status = upstreamRes.statusCode ?? 200;
    const headers: Record<string, string | string[]> = {
      ...buildClientResponseHeaders(upstreamRes.headers),
      ...exposePaymentHeaders,
    };
    delete headers["content-length"];
    const trailerName = ctx.version === 1 ? "x-payment-response" : "payment-response";
    res.writeHead(status, { ...headers, trailer: trailerName });
    let delivered = 0;
    const ended = await new Promise<boolean>((resolve) => {
      upstreamRes.on("data", (chunk: Buffer) => {
        if (res.destroyed) return;
        ctx.metering?.sse.push(chunk);
        delivered += chunk.length;
        if (!res.write(chunk)) {
          upstreamRes.pause();
          res.once("drain", () => upstreamRes.resume());
        }
      });
      upstreamRes.once("end", () => resolve(true));
      upstreamRes.once("error", () => resolve(false));
      upstreamRes.once("aborted", () => resolve(false));
      res.once("close", () => {
        if (!res.writableFinished) upstreamRes.destroy();
        resolve(false);
      });
    });
    if (delivered === 0) {
      await recordUpstreamFailure(ctx, gatewayReasons.noBytesDelivered, {
        upstreamStatus: status,
        message: ended ? "The stream ended empty" : "The stream broke before any byte was delivered",
      });
      res.end();
      return;
    }
    if (ctx.metering) ctx.metering.usage = ctx.metering.sse.finish();
    const result = await settle(ctx, status);
    await recordSettlement(ctx, result, status);
    if (!res.destroyed) {
      const receipt = encodeBase64Json(result);
      // SSE comment lines are ignored by event parsers; the trailer carries the same receipt.
      res.write(`: x402-payment-response ${receipt}\n\n`);
      res.addTrailers({ [trailerName]: receipt });
      res.end();
    }
  }

  async function proxyAndSettle(ctx: PaymentContext, req: IncomingMessage, res: ServerResponse, target: URL) {
    const headers = buildUpstreamRequestHeaders({
      headers: req.headers,
      payer: ctx.payer,
      forwardedFor: req.socket.remoteAddress,
      forwardedProto: currentBaseUrl().startsWith("https:") ? "https" : "http",
      forwardedHost: req.headers.host,
    });
    const abort = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) abort.abort();
    };
    res.once("close", onClose);
    const method = req.method ?? "GET";
    if (method === "GET" || method === "HEAD") req.resume();
    let upstreamRes: IncomingMessage;
    try {
      const body = method === "GET" || method === "HEAD" ? req : limitBody(req, bodyLimitOf(ctx.route));
      upstreamRes = ctx.metering
        ? await forwardToProvider({ upstream, metering: ctx.metering, headers, signal: abort.signal })
        : await upstream.request({ url: target, method, headers, body, signal: abort.signal });
    } catch (error) {
      res.off("close", onClose);
      if (error instanceof BodyTooLargeError) {
        await recordUpstreamFailure(ctx, gatewayReasons.payloadTooLarge, { message: error.message });
        return refuseBody(req, res, tooLargeBody(error.maxBytes));
      }
      const closed = abort.signal.aborted;
      await recordUpstreamFailure(ctx, closed ? gatewayReasons.clientClosed : gatewayReasons.upstreamUnreachable, {
        message: errorMessage(error),
      });
      if (closed) return;
      return sendGatewayError(
        res,
        // A model's provider that went down is the offer being unavailable (503), as it will be once unpublished.
        ctx.metering ? 503 : 502,
        buildGatewayError({
          code: "CHAIN_ERROR",
          reason: gatewayReasons.upstreamUnreachable,
          message: "The service is unreachable; you were not charged",
          retriable: true,
        }),
      );
    }
    res.off("close", onClose);
    if ((upstreamRes.statusCode ?? 502) >= 400) return passThroughFailure(ctx, upstreamRes, res);
    if (isEventStream(upstreamRes.headers)) return deliverStream(ctx, upstreamRes, res);
    return deliverBuffered(ctx, upstreamRes, res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const matched = routes.match(pathname);
    if (!matched) {
      return sendGatewayError(
        res,
        404,
        buildGatewayError({
          code: "NOT_FOUND",
          reason: gatewayReasons.noSuchService,
          message: `No service is published at ${pathname}`,
          hint: "The catalog at /api/services.json lists what is for sale",
        }),
      );
    }
    let { route } = matched;
    const { rest } = matched;
    const labels: OfferLabels = { offer: route.name, chain: route.chain };
    metrics.request(labels);
    const outcome = () => ({ ...labels, outcome: describeRequestOutcome(res.statusCode) });
    res.once("close", () => metrics.observeRequest(outcome(), (performance.now() - started) / 1000));
    if (route.available === false) {
      return sendGatewayError(
        res,
        503,
        buildGatewayError({
          code: "NOT_READY",
          reason: "service_unavailable",
          message: "The model's provider is down; nothing was charged. Retry shortly",
          retriable: true,
        }),
        { "retry-after": "5" },
      );
    }
    // A stored upstream that reaches one of this server's own ports (a restart moved PostgreSQL onto it, an
    // import brought it) is never called: refused before any payment, so nothing is charged.
    const ownPort = ownPortOf(route.upstreamUrl);
    if (ownPort) {
      metrics.failed({ ...labels, reason: gatewayReasons.upstreamForbidden });
      options.funnel?.refused(route, gatewayReasons.upstreamForbidden);
      log.warn({ offer: route.name, upstream: route.upstreamUrl }, `refused: the upstream ${ownPort}`);
      return sendGatewayError(
        res,
        502,
        buildGatewayError({
          code: "CHAIN_ERROR",
          reason: gatewayReasons.upstreamForbidden,
          message:
            "This service's upstream points at the seller's own server, so it is not called; nothing was charged",
          hint: "The seller must change the offer's upstream",
        }),
      );
    }
    // Refused before any payment is looked at: a path that would leave the upstream's base is never proxied.
    const target = buildUpstreamUrl({
      upstreamUrl: route.upstreamUrl,
      rest,
      search: queryAt === -1 ? "" : url.slice(queryAt),
    });
    if (!target.ok) {
      metrics.failed({ ...labels, reason: gatewayReasons.invalidPath });
      options.funnel?.refused(route, gatewayReasons.invalidPath);
      return sendGatewayError(
        res,
        400,
        buildGatewayError({
          code: "VALIDATION_FAILED",
          reason: gatewayReasons.invalidPath,
          message: target.message,
          hint: `Paths under ${route.path} are passed to the service as they are; dot segments may not climb above it and encoded separators are refused`,
        }),
      );
    }
    const publicBaseUrl = currentBaseUrl();
    const resourceUrl = buildResourceUrl({ publicBaseUrl, requestPath: pathname });
    // A declared body over the offer's limit is refused before it is read (inference reads it to price it).
    const bodyLimit = bodyLimitOf(route);
    if (declaresBodyOver(req, bodyLimit)) {
      metrics.failed({ ...labels, reason: gatewayReasons.payloadTooLarge });
      options.funnel?.refused(route, gatewayReasons.payloadTooLarge);
      return refuseBody(req, res, tooLargeBody(bodyLimit));
    }

    let metering: Metering | undefined;
    if (route.model && options.inference) {
      // Model-backed inference: the request is read and priced first (its 402 depends on max_tokens).
      const prepared = await options.inference.prepare({ req, route, rest });
      if (prepared.kind === "respond") return sendJson(res, prepared.status, prepared.body, exposePaymentHeaders);
      route = prepared.route;
      metering = prepared.metering;
    }

    const parsed = parsePaymentHeader(req.headers);
    if (parsed.status === "absent") {
      metrics.challenge(labels);
      options.funnel?.challenge(route);
      if (wantsHtml(req)) {
        const paymentRequired = buildPaymentRequired({ route, resourceUrl, error: "Payment required" });
        const chain = findChainByName(route.chain);
        return sendPaymentRequiredPage({
          res,
          html: renderPaymentRequiredPage({
            route,
            paymentRequired,
            chainDisplayName: chain?.displayName ?? route.chain,
            assetSymbol: chain?.usdc.symbol ?? "",
          }),
          paymentRequiredHeader: encodeBase64Json(paymentRequired),
        });
      }
      return sendChallenge(res, challenges.get(route, resourceUrl));
    }
    if (parsed.status === "malformed") {
      metrics.failed({ ...labels, reason: gatewayReasons.invalidPaymentHeader });
      options.funnel?.refused(route, gatewayReasons.invalidPaymentHeader);
      return sendGatewayError(
        res,
        400,
        buildGatewayError({
          code: "INVALID_PAYMENT_HEADER",
          reason: gatewayReasons.invalidPaymentHeader,
          message: parsed.message,
          hint: parsed.hint,
        }),
      );
    }
    const version = parsed.payment.version;
    const refuse = (reason: string, message: string) => {
      metrics.failed({ ...labels, reason });
      options.funnel?.refused(route, reason);
      sendPaymentRequired({ res, route, resourceUrl, version, reason, message });
    };
    const unavailable = (reason: string, message: string) => {
      metrics.failed({ ...labels, reason });
      options.funnel?.refused(route, reason);
      sendGatewayError(
        res,
        503,
        buildGatewayError({ code: "FACILITATOR_UNAVAILABLE", reason, message, retriable: true }),
        { "retry-after": "5" },
      );
    };

    const match = matchPaymentRequirement({ payment: parsed.payment, accepts: route.accepts ?? [route.requirements] });
    if (!match.matched) return refuse(gatewayReasons.noMatchingRequirement, match.message);
    const authorization = readPaymentAuthorization(match.payload);
    if (!authorization) return refuse("invalid_payload", "The payment carries no authorization nonce");

    let facilitator: Facilitator;
    try {
      const configured = await chains.get(route.chain);
      if (!configured) {
        return unavailable(gatewayReasons.chainNotConfigured, `Chain ${route.chain} is not configured on this server`);
      }
      facilitator = configured.facilitator;
    } catch (error) {
      log.warn({ err: error, chain: route.chain }, "chain runtime failed");
      return unavailable(gatewayReasons.facilitatorUnavailable, "The payment facilitator is unavailable");
    }

    if (match.requirements.scheme === "upto") {
      const upto = options.inference?.uptoFacilitator(route.chain);
      if (!upto) return unavailable(gatewayReasons.facilitatorUnavailable, "No upto facilitator serves this chain");
      facilitator = upto;
    }

    const clock = options.serverTiming ? createStageClock(started) : undefined;
    let verification: Awaited<ReturnType<Facilitator["verify"]>>;
    try {
      verification = await facilitator.verify(match.payload, match.requirements);
      clock?.mark("verify");
    } catch (error) {
      // Never fail open: no verification, no service.
      log.warn({ err: error, offer: route.name, facilitator: facilitator.label }, "facilitator verify failed");
      return unavailable(
        gatewayReasons.facilitatorUnavailable,
        "The payment facilitator could not be reached; nothing was charged. Retry shortly",
      );
    }
    if (!verification.isValid) {
      const reason = verification.invalidReason ?? gatewayReasons.verificationFailed;
      return refuse(
        reason,
        summarizeFacilitatorMessage(verification.invalidMessage) ?? `The payment was not accepted: ${reason}`,
      );
    }
    metrics.verified(labels);
    const payer = verification.payer ?? authorization.payer ?? "";

    let inserted: Awaited<ReturnType<PaymentRepository["insertVerified"]>>;
    // A facilitator that records the hash before anything moves makes that write the one the disk must have
    // first (its flush carries this row too): the row need not wait for the disk before the upstream is called.
    const durable = !facilitator.recordsBeforeSettling?.(match.payload, match.requirements);
    try {
      inserted = await payments.insertVerified(
        {
          offerId: route.offerId,
          offerGeneration: route.generation,
          chain: route.chain,
          network: match.requirements.network,
          testnet: route.testnet,
          asset: match.requirements.asset,
          amount: match.requirements.amount,
          payer: payer.toLowerCase(),
          payTo: match.requirements.payTo,
          nonce: authorization.nonce,
          x402Version: version,
          requestMethod: req.method ?? "GET",
          requestPath: pathname,
          facilitator: facilitator.label,
          ...(metering ? { scheme: match.requirements.scheme, maxAmount: match.requirements.amount } : {}),
        },
        { durable },
      );
    } catch (error) {
      log.error({ err: error, offer: route.name }, "could not record a verified payment");
      return unavailable(gatewayReasons.ledgerUnavailable, "The payment could not be recorded; nothing was charged");
    }
    clock?.mark("insert");
    if (inserted.status === "duplicate") {
      return refuse(
        gatewayReasons.paymentAlreadyUsed,
        "This payment authorization was already used for another request; sign a new one",
      );
    }
    const ctx: PaymentContext = {
      id: inserted.id,
      route,
      labels,
      facilitator,
      payload: match.payload,
      requirements: match.requirements,
      version,
      resourceUrl,
      started,
      payer,
      metering,
      clock,
    };
    return proxyAndSettle(ctx, req, res, target.url);
  }

  return {
    handles: (pathname) =>
      pathname === "/services" || pathname.startsWith("/services/") || routes.match(pathname) !== null,
    handle,
    close: () => upstream.close(),
  };
}
