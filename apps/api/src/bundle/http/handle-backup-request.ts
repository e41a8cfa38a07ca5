import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { type EventPublisher, httpStatusOf, TollgateError, toErrorBody } from "@tollgate/core";
import type { Db } from "@tollgate/db";
import { z } from "zod";
import { type Caller, requireCaller } from "../../http/caller.ts";
import type { Logger } from "../../logger.ts";
import { isSameOriginRequest } from "../../security/same-origin.ts";
import { buildExportBundle } from "../export-bundle.ts";
import { parseBundle } from "../import-bundle.ts";
import type { HomeLedger } from "../open-home-ledger.ts";
import { WrongPassphraseError } from "../seal-with-passphrase.ts";
import { UnsafeArchiveError } from "../tar-archive.ts";
import { applyLiveImport, planLiveImport } from "./live-import.ts";
import { readRequestBody } from "./read-request-body.ts";

/** The largest archive the import endpoint accepts. */
export const maxImportBytes = 256 * 1024 * 1024;

export const exportRequestSchema = z
  .object({
    includePayments: z.boolean().optional(),
    includeCredentials: z.boolean().optional(),
    passphrase: z.string().min(8, "the passphrase must be at least 8 characters").max(1024).optional(),
  })
  .strict();

/** The backup endpoints: `POST /admin/api/export` and `POST /admin/api/import[?dryRun=1|force=1]`. */
export interface BackupHandler {
  /** Serves the backup endpoints; false for other paths. */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
}

function sendBody(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: TollgateError): void {
  sendBody(res, httpStatusOf(error.code), { error: toErrorBody(error) });
}

/** `tollgate-backup-20250102T030405Z.tar.gz` */
export function backupFileName(now: Date): string {
  return `tollgate-backup-${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}.tar.gz`;
}

/** The passphrase header is percent-encoded UTF-8 (header values cannot carry every character). */
function readPassphraseHeader(req: IncomingMessage): string | null {
  const raw = req.headers["x-tollgate-passphrase"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new TollgateError("VALIDATION_FAILED", "x-tollgate-passphrase must be percent-encoded UTF-8", {
      field: "passphrase",
    });
  }
}

/**
 * Export and import for the admin UI, as plain HTTP (tRPC carries JSON, these carry an archive). Admin
 * session or admin token only; a session caller's browser must be same-origin (the cookie is
 * SameSite=Strict too). Every refusal happens before the ledger is touched.
 */
export function createBackupHandler(options: {
  db: Db;
  masterKey: Buffer;
  home: string;
  /** Whether this server runs the embedded devnet (its chain state cannot be swapped live). */
  devnetRunning: boolean;
  resolveCaller: (req: IncomingMessage) => Promise<Caller>;
  /** Told `ledger.replaced` after a live import: every cache of ledger state reloads. */
  events: EventPublisher;
  log: Logger;
}): BackupHandler {
  const ledger: HomeLedger = {
    db: options.db,
    masterKey: options.masterKey,
    serverRunning: true,
    close: async () => {},
  };
  let importing = false;

  async function authorize(req: IncomingMessage): Promise<Caller> {
    const caller = requireCaller(await options.resolveCaller(req), "admin");
    if (caller.kind === "session" && !isSameOriginRequest(req)) {
      throw new TollgateError("FORBIDDEN", "Cross-origin request refused", {
        hint: "A signed-in browser must send a same-origin Origin; scripts use an admin API token",
      });
    }
    return caller;
  }

  async function handleExport(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readRequestBody(req, 64 * 1024);
    let json: unknown = {};
    if (raw.length > 0) {
      try {
        json = JSON.parse(raw.toString("utf8"));
      } catch {
        throw new TollgateError(
          "VALIDATION_FAILED",
          "The body must be JSON: {includePayments?, includeCredentials?, passphrase?}",
        );
      }
    }
    const input = exportRequestSchema.safeParse(json);
    if (!input.success) {
      const issue = input.error.issues[0];
      throw new TollgateError("VALIDATION_FAILED", issue?.message ?? "invalid input", {
        field: String(issue?.path[0] ?? "body"),
      });
    }
    const { archive, summary } = await buildExportBundle({
      ledger,
      home: options.home,
      includePayments: input.data.includePayments ?? false,
      includeCredentials: input.data.includeCredentials ?? false,
      passphrase: input.data.passphrase ?? null,
      progress: () => {},
    });
    options.log.info({ bytes: summary.bytes, counts: summary.counts }, "backup exported");
    res.writeHead(200, {
      "content-type": "application/gzip",
      "content-length": archive.length,
      "content-disposition": `attachment; filename="${backupFileName(new Date(summary.manifest.createdAt))}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    res.end(archive);
  }

  async function handleImport(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const dryRun = url.searchParams.get("dryRun") === "1";
    const force = url.searchParams.get("force") === "1";
    const passphrase = readPassphraseHeader(req);
    const archive = await readRequestBody(req, maxImportBytes);
    if (archive.length === 0) throw new TollgateError("VALIDATION_FAILED", "The body must be the bundle (.tar.gz)");
    let bundle: Awaited<ReturnType<typeof parseBundle>>;
    try {
      bundle = await parseBundle(archive, passphrase);
    } catch (error) {
      if (error instanceof UnsafeArchiveError || error instanceof WrongPassphraseError) {
        throw new TollgateError("IMPORT_REFUSED", error.message);
      }
      throw error;
    }
    if (dryRun) {
      const plan = await planLiveImport({ ledger, bundle, devnetRunning: options.devnetRunning });
      return sendBody(res, 200, { plan, manifest: bundle.manifest });
    }
    if (importing) throw new TollgateError("CONFLICT", "Another import is running; try again when it has finished");
    importing = true;
    try {
      const result = await applyLiveImport({
        ledger,
        bundle,
        force,
        devnetRunning: options.devnetRunning,
        writeDevnetState: (state) => {
          const dir = join(options.home, "devnet");
          mkdirSync(dir, { recursive: true, mode: 0o700 });
          writeFileSync(join(dir, "state.json"), state, { mode: 0o600 });
          chmodSync(join(dir, "state.json"), 0o600);
        },
      });
      options.events.publish({ type: "ledger.replaced", at: new Date().toISOString() });
      options.log.info({ offers: result.plan.offers.length, devnetState: result.devnetState }, "backup imported");
      sendBody(res, 200, {
        imported: true,
        plan: result.plan,
        devnetState: result.devnetState,
        notes: [
          "Admin sessions were signed out; this server's password and API tokens were kept.",
          "The reconciler is bringing the imported offers up.",
        ],
      });
    } finally {
      importing = false;
    }
  }

  return {
    async handle(req, res, pathname) {
      if (pathname !== "/admin/api/export" && pathname !== "/admin/api/import") return false;
      try {
        if (req.method !== "POST") {
          res.setHeader("allow", "POST");
          throw new TollgateError("NOT_FOUND", `${req.method} ${pathname} is not served; use POST`);
        }
        await authorize(req);
        const url = new URL(req.url ?? pathname, "http://localhost");
        if (pathname === "/admin/api/export") await handleExport(req, res);
        else await handleImport(req, res, url);
      } catch (error) {
        if (error instanceof TollgateError) sendError(res, error);
        else {
          options.log.error({ err: error, pathname }, "backup request failed");
          if (!res.headersSent) sendBody(res, 500, { error: { code: "INTERNAL", message: "Internal error" } });
          else res.end();
        }
      }
      return true;
    },
  };
}
