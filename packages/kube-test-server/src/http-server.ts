import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import yaml from "js-yaml";
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  KUBE_VERSION,
  openApiGroupVersion,
  openApiRoot,
} from "./discovery.ts";
import { type DeleteOptions, KubeApi, type PatchType, type WriteOptions } from "./kube-api.ts";
import { decodeProtobufObject } from "./protobuf.ts";
import { isPlainObject } from "./schema-validation.ts";
import { parseFieldSelector, parseLabelSelector } from "./selectors.ts";
import {
  ApiError,
  badRequest,
  expired,
  methodNotAllowed,
  pathNotFound,
  unauthorized,
  unsupportedMediaType,
} from "./status.ts";
import { renderTable } from "./tables.ts";
import { servingCertificate } from "./tls.ts";
import { groupVersion, type KubeObject, type ResourceDef, type WatchEventType } from "./types.ts";

export type KubeTestServerOptions = {
  /** Port to listen on (0 = any free port). */
  port?: number;
  host?: string;
  /** Bearer token clients must present; generated when absent. */
  token: string;
  /** How many changes watches can resume from before answering 410 Gone. */
  historyLimit?: number;
};

const MAX_BODY = 3 * 1024 * 1024;

type Route =
  | { kind: "collection"; def: ResourceDef; namespace: string | undefined }
  | { kind: "item"; def: ResourceDef; namespace: string | undefined; name: string; subresource: "status" | undefined };

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

const wantsTable = (accept: string): boolean => /as=Table/.test(accept.split(",")[0] ?? "");

const discoveryVersion = (accept: string): "v2" | "v2beta1" | undefined => {
  for (const part of accept.split(",")) {
    if (!part.includes("g=apidiscovery.k8s.io")) {
      if (part.trim().startsWith("application/json") || part.trim() === "*/*") return undefined;
      continue;
    }
    if (/v=v2beta1/.test(part)) return "v2beta1";
    if (/v=v2(;|$)/.test(part)) return "v2";
  }
  return undefined;
};

const parsePatchType = (contentType: string): PatchType => {
  const type = contentType.split(";")[0]!.trim();
  switch (type) {
    case "application/merge-patch+json":
      return "merge";
    case "application/json-patch+json":
      return "json";
    case "application/strategic-merge-patch+json":
      return "strategic";
    case "application/apply-patch+yaml":
    case "application/apply-patch+cbor":
      return "apply";
    default:
      throw unsupportedMediaType(type);
  }
};

/**
 * A faithful in-process Kubernetes API server over HTTP for tests and demos: discovery, OpenAPI v3,
 * CRUD with resourceVersions, watches, patches, server-side apply, tables, bearer-token auth.
 */
export class KubeTestServer {
  readonly api: KubeApi;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly watches = new Set<ServerResponse>();
  private readonly token: string;
  private listening: AddressInfo | undefined;
  private lastPort = 0;
  /** PEM of the self-signed serving certificate (its own CA), for kubeconfigs. */
  readonly caData: string;
  /** Count of API requests served (for benchmarks), by method. */
  readonly requestCounts = new Map<string, number>();

  constructor(private readonly options: KubeTestServerOptions) {
    this.token = options.token;
    this.api = new KubeApi({ historyLimit: options.historyLimit ?? 10_000 });
    const tls = servingCertificate();
    this.caData = tls.cert;
    this.server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      this.handle(req, res).catch((err) => this.fail(res, err));
    });
    this.server.on("connection", (duplex) => {
      const socket = duplex as Socket;
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  async listen(port = this.options.port ?? 0): Promise<string> {
    const host = this.options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.listening = this.server.address() as AddressInfo;
    this.lastPort = this.listening.port;
    return this.url;
  }

  get url(): string {
    return `https://${this.options.host ?? "127.0.0.1"}:${this.listening?.port ?? this.lastPort}`;
  }

  get port(): number {
    return this.listening?.port ?? this.lastPort;
  }

  /** Stops listening and cuts every connection (as a crashed API server would). */
  async close(): Promise<void> {
    for (const w of this.watches) w.end();
    this.watches.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.listening = undefined;
  }

  /** Ends every open watch stream normally (clients re-watch from their last resourceVersion). */
  endWatches(): void {
    for (const w of this.watches) w.end();
    this.watches.clear();
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? "";
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m) return false;
    const given = Buffer.from(m[1]!.trim());
    const want = Buffer.from(this.token);
    return given.length === want.length && timingSafeEqual(given, want);
  }

  private send(
    res: ServerResponse,
    code: number,
    body: unknown,
    contentType = "application/json",
    warnings: string[] = [],
  ): void {
    const text = JSON.stringify(body);
    const headers: Record<string, string | string[]> = {
      "Content-Type": contentType,
      "Content-Length": String(Buffer.byteLength(text)),
      "Cache-Control": "no-cache, private",
    };
    if (warnings.length > 0) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
    res.writeHead(code, headers);
    res.end(text);
  }

  private fail(res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (err instanceof ApiError) {
      this.send(res, err.code, err.toStatus());
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    this.send(res, 500, new ApiError(500, "InternalError", `Internal error occurred: ${message}`).toStatus());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    this.requestCounts.set(method, (this.requestCounts.get(method) ?? 0) + 1);
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const accept = String(req.headers.accept ?? "application/json");
    if (["/version", "/healthz", "/livez", "/readyz"].includes(path) && method === "GET") {
      if (path === "/version") this.send(res, 200, KUBE_VERSION);
      else {
        res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("ok");
      }
      return;
    }
    if (!this.authorized(req)) throw unauthorized();
    if (path === "/api" || path === "/apis") {
      const version = discoveryVersion(accept);
      const core = path === "/api";
      if (version) {
        this.send(
          res,
          200,
          aggregatedDiscovery(this.api.registry, core, version),
          `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
        );
      } else this.send(res, 200, core ? apiVersions(url.host) : apiGroupList(this.api.registry));
      return;
    }
    if (path === "/openapi/v2") throw pathNotFound();
    if (path === "/openapi/v3") {
      this.send(res, 200, openApiRoot(this.api.registry));
      return;
    }
    if (path.startsWith("/openapi/v3/")) {
      const rest = path.slice("/openapi/v3/".length).split("/");
      const doc =
        rest[0] === "api"
          ? openApiGroupVersion(this.api.registry, "", rest[1] ?? "")
          : openApiGroupVersion(this.api.registry, rest[1] ?? "", rest[2] ?? "");
      if (!doc) throw pathNotFound();
      this.send(res, 200, doc);
      return;
    }
    const segments = path
      .split("/")
      .filter((s) => s !== "")
      .map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === "api") {
      group = "";
      version = segments[1] ?? "";
      rest = segments.slice(2);
    } else if (segments[0] === "apis") {
      group = segments[1] ?? "";
      if (segments.length === 2) {
        const gv = this.api.registry.groupVersions().find((g) => g.group === group);
        if (!gv) throw pathNotFound();
        this.send(res, 200, apiGroup(group, gv.versions));
        return;
      }
      version = segments[2] ?? "";
      rest = segments.slice(3);
    } else throw pathNotFound();
    if (rest.length === 0) {
      const list = apiResourceList(this.api.registry, group, version);
      if (!list) throw pathNotFound();
      this.send(res, 200, list);
      return;
    }
    const route = this.route(group, version, rest);
    await this.serve(req, res, url, route, accept);
  }

  private route(group: string, version: string, rest: string[]): Route {
    const find = (resource: string) => this.api.registry.find(group, version, resource);
    if (rest[0] === "namespaces" && rest.length >= 3) {
      const def = find(rest[2]!);
      if (def?.namespaced) {
        if (rest.length === 3) return { kind: "collection", def, namespace: rest[1] };
        if (rest.length === 4) return { kind: "item", def, namespace: rest[1], name: rest[3]!, subresource: undefined };
        if (rest.length === 5 && rest[4] === "status" && def.hasStatus)
          return { kind: "item", def, namespace: rest[1], name: rest[3]!, subresource: "status" };
        throw pathNotFound();
      }
    }
    const def = find(rest[0]!);
    if (!def) throw pathNotFound();
    if (rest.length === 1) return { kind: "collection", def, namespace: undefined };
    if (def.namespaced) throw pathNotFound();
    if (rest.length === 2) return { kind: "item", def, namespace: undefined, name: rest[1]!, subresource: undefined };
    if (
      rest.length === 3 &&
      (rest[2] === "status" || (rest[2] === "finalize" && def.resource === "namespaces")) &&
      def.hasStatus
    ) {
      return { kind: "item", def, namespace: undefined, name: rest[1]!, subresource: "status" };
    }
    throw pathNotFound();
  }

  private writeOptions(url: URL, req: IncomingMessage): WriteOptions {
    const q = url.searchParams;
    const agent = String(req.headers["user-agent"] ?? "unknown");
    const manager = q.get("fieldManager") ?? agent.split("/")[0] ?? "unknown";
    if (manager.length > 128) throw badRequest("fieldManager: Too long: must have at most 128 bytes");
    const validation = q.get("fieldValidation") ?? "Warn";
    if (!["Strict", "Warn", "Ignore"].includes(validation)) {
      throw badRequest(
        `fieldValidation: Unsupported value: "${validation}": supported values: "Ignore", "Strict", "Warn"`,
      );
    }
    const dryRun = q.getAll("dryRun");
    if (dryRun.some((d) => d !== "All"))
      throw badRequest(`dryRun: Unsupported value: ${JSON.stringify(dryRun[0])}: supported values: "All"`);
    return {
      dryRun: dryRun.length > 0,
      fieldManager: manager,
      fieldValidation: validation as WriteOptions["fieldValidation"],
      force: q.get("force") === "true",
    };
  }

  private async parseBody(req: IncomingMessage, def: ResourceDef | undefined): Promise<unknown> {
    const raw = await readBody(req);
    if (raw.length === 0) return undefined;
    const contentType = String(req.headers["content-type"] ?? "application/json")
      .split(";")[0]!
      .trim();
    if (contentType === "application/vnd.kubernetes.protobuf") {
      if (!def) throw unsupportedMediaType(contentType);
      return decodeProtobufObject(def, raw);
    }
    const text = raw.toString("utf8");
    try {
      if (contentType === "application/apply-patch+yaml" || contentType === "application/yaml")
        return yaml.load(text, { schema: yaml.JSON_SCHEMA });
      return JSON.parse(text);
    } catch (err) {
      throw badRequest(
        `the body of the request was in an unknown format: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
      );
    }
  }

  private filters(url: URL, namespace: string | undefined) {
    const labels = parseLabelSelector(url.searchParams.get("labelSelector"));
    const fields = parseFieldSelector(url.searchParams.get("fieldSelector"));
    return (o: KubeObject) =>
      labels(o.metadata.labels) && fields(o) && (namespace === undefined || o.metadata.namespace === namespace);
  }

  private async serve(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    route: Route,
    accept: string,
  ): Promise<void> {
    const method = req.method ?? "GET";
    const { def, namespace } = route;
    const q = url.searchParams;
    if (route.kind === "collection") {
      if (method === "GET") {
        const watch = q.get("watch");
        if (watch === "true" || watch === "1") return this.serveWatch(req, res, url, route, accept);
        return this.serveList(res, url, route, accept);
      }
      if (method === "POST") {
        const body = await this.parseBody(req, def);
        const result = this.api.create(def, namespace, body, this.writeOptions(url, req));
        return this.send(res, result.code, result.object, "application/json", result.warnings);
      }
      if (method === "DELETE") {
        const matches = this.filters(url, namespace);
        const opts = this.deleteOptions(url, await this.parseBody(req, undefined));
        const { items } = this.api.list(def, namespace, matches);
        for (const item of items) {
          try {
            this.api.delete(def, item.metadata.namespace, item.metadata.name!, opts);
          } catch (err) {
            if (!(err instanceof ApiError && err.code === 404)) throw err;
          }
        }
        return this.send(res, 200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" });
      }
      throw methodNotAllowed(method);
    }
    const { name, subresource } = route;
    switch (method) {
      case "GET": {
        const obj = this.api.get(def, namespace, name);
        if (wantsTable(accept))
          return this.send(
            res,
            200,
            renderTable(def, [obj], obj.metadata.resourceVersion, true),
            "application/json;as=Table;v=v1;g=meta.k8s.io",
          );
        return this.send(res, 200, obj);
      }
      case "PUT": {
        const body = await this.parseBody(req, def);
        const result = this.api.update(def, namespace, name, body, this.writeOptions(url, req), subresource);
        return this.send(res, result.code, result.object, "application/json", result.warnings);
      }
      case "PATCH": {
        const type = parsePatchType(String(req.headers["content-type"] ?? ""));
        const opts = this.writeOptions(url, req);
        if (type === "apply" && !q.get("fieldManager")) {
          throw badRequest("PATCH, application/apply-patch+yaml requests must specify a fieldManager");
        }
        if (type !== "apply" && q.get("force") !== null)
          throw badRequest("force: Invalid value: true: may not be specified for non-apply patch");
        const body = await this.parseBody(req, undefined);
        const result = this.api.patch(def, namespace, name, type, body, opts, subresource);
        return this.send(res, result.code, result.object, "application/json", result.warnings);
      }
      case "DELETE": {
        const opts = this.deleteOptions(url, await this.parseBody(req, undefined));
        const result = this.api.delete(def, namespace, name, opts);
        return this.send(res, result.code, result.body);
      }
      default:
        throw methodNotAllowed(method);
    }
  }

  private deleteOptions(url: URL, body: unknown): DeleteOptions {
    const q = url.searchParams;
    const b = isPlainObject(body) ? body : {};
    const dryRun = Array.isArray(b.dryRun) ? b.dryRun : q.getAll("dryRun");
    const pre = isPlainObject(b.preconditions) ? (b.preconditions as DeleteOptions["preconditions"]) : undefined;
    return {
      dryRun: dryRun.includes("All"),
      propagationPolicy:
        typeof b.propagationPolicy === "string" ? b.propagationPolicy : (q.get("propagationPolicy") ?? undefined),
      preconditions: pre,
    };
  }

  private serveList(res: ServerResponse, url: URL, route: Route, accept: string): void {
    const { def, namespace } = route;
    const q = url.searchParams;
    const { items, resourceVersion } = this.api.list(def, namespace, this.filters(url, namespace));
    const limit = Number(q.get("limit") ?? "0");
    let start = 0;
    const token = q.get("continue");
    if (token) {
      try {
        const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { rv: number; start: number };
        start = parsed.start;
      } catch {
        throw badRequest("continue key is not valid: illegal base64 data");
      }
    }
    const end = limit > 0 ? start + limit : items.length;
    const page = items.slice(start, end);
    const more = end < items.length;
    const cont = more
      ? Buffer.from(JSON.stringify({ rv: Number(resourceVersion), start: end })).toString("base64")
      : undefined;
    if (wantsTable(accept)) {
      const table = renderTable(def, page, resourceVersion, true);
      this.send(
        res,
        200,
        { ...table, metadata: { ...table.metadata, ...(cont ? { continue: cont } : {}) } },
        "application/json;as=Table;v=v1;g=meta.k8s.io",
      );
      return;
    }
    this.send(res, 200, {
      kind: def.listKind,
      apiVersion: groupVersion(def),
      metadata: { resourceVersion, ...(cont ? { continue: cont, remainingItemCount: items.length - end } : {}) },
      items: page,
    });
  }

  private serveWatch(req: IncomingMessage, res: ServerResponse, url: URL, route: Route, accept: string): void {
    const { def, namespace } = route;
    const q = url.searchParams;
    const table = wantsTable(accept);
    const rvParam = q.get("resourceVersion");
    const sendInitial = q.get("sendInitialEvents") === "true";
    const from = rvParam === null || rvParam === "" || rvParam === "0" || sendInitial ? undefined : Number(rvParam);
    if (from !== undefined && !Number.isFinite(from)) throw badRequest(`invalid resource version: ${rvParam}`);
    const matches = this.filters(url, namespace);
    res.writeHead(200, {
      "Content-Type": table ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json",
      "Cache-Control": "no-cache, private",
      "Transfer-Encoding": "chunked",
    });
    res.flushHeaders();
    let first = true;
    const write = (type: WatchEventType, obj: KubeObject) => {
      if (res.writableEnded) return;
      const object =
        table && type !== "BOOKMARK" && type !== "ERROR"
          ? renderTable(def, [obj], obj.metadata.resourceVersion, first)
          : obj;
      first = false;
      res.write(`${JSON.stringify({ type, object })}\n`);
    };
    let stop: () => void = () => {};
    try {
      if (from === undefined) {
        const { items } = this.api.list(def, namespace, matches);
        for (const item of items) write("ADDED", item);
        stop = this.api.watch(def, namespace, matches, undefined, write);
        if (sendInitial) {
          write("BOOKMARK", {
            kind: def.kind,
            apiVersion: groupVersion(def),
            metadata: {
              resourceVersion: String(this.api.store.currentRevision),
              annotations: { "k8s.io/initial-events-end": "true" },
            },
          });
        }
      } else stop = this.api.watch(def, namespace, matches, from, write);
    } catch (err) {
      const status = err instanceof ApiError ? err : expired(String(err));
      res.write(`${JSON.stringify({ type: "ERROR", object: status.toStatus() })}\n`);
      res.end();
      return;
    }
    this.watches.add(res);
    let bookmarkTimer: NodeJS.Timeout | undefined;
    if (q.get("allowWatchBookmarks") === "true") {
      bookmarkTimer = setInterval(() => {
        write("BOOKMARK", {
          kind: def.kind,
          apiVersion: groupVersion(def),
          metadata: { resourceVersion: String(this.api.store.currentRevision) },
        });
      }, 5_000);
    }
    const timeout = Number(q.get("timeoutSeconds") ?? "0");
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const cleanup = () => {
      stop();
      if (timer) clearTimeout(timer);
      if (bookmarkTimer) clearInterval(bookmarkTimer);
      this.watches.delete(res);
    };
    res.on("close", cleanup);
    res.on("finish", cleanup);
    req.on("close", cleanup);
  }
}
