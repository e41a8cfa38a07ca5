import type { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../prisma-client.ts";

export interface AuditEntry {
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
  before?: unknown;
  after?: unknown;
}

/** Who did what to which object; append-only. */
export function createAuditLog(options: { db: Db }) {
  const { db } = options;
  return {
    async record(entry: AuditEntry, tx: Prisma.TransactionClient = db): Promise<void> {
      await tx.auditEvent.create({
        data: {
          actor: entry.actor,
          action: entry.action,
          objectType: entry.objectType,
          objectId: entry.objectId,
          ...(entry.before === undefined ? {} : { before: entry.before as Prisma.InputJsonValue }),
          ...(entry.after === undefined ? {} : { after: entry.after as Prisma.InputJsonValue }),
        },
      });
    },
    async list(options: { limit?: number } = {}) {
      return db.auditEvent.findMany({ orderBy: { createdAt: "desc" }, take: options.limit ?? 100 });
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
