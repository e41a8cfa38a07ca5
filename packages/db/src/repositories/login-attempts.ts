import type { SharedLoginCounter } from "@tollgate/core";
import type { Db } from "../prisma-client.ts";

// Windows older than this count for nothing (the longest window summed is the account's 15 minutes).
const retainMs = 60 * 60_000;

/**
 * The owner login's attempt counts in the ledger, shared by replicas (SPEC §11, §15): one UPSERT per attempt
 * returns the count after it, so two replicas can never both see room for the last attempt. A key's windows
 * are deleted when it is cleared; windows older than an hour are swept now and then.
 */
export function createLoginAttemptCounter({ db }: { db: Db }): SharedLoginCounter {
  let hits = 0;
  return {
    async hit(key, windowStart) {
      const rows = await db.$queryRaw<{ attempts: number }[]>`
        INSERT INTO "LoginAttemptWindow" ("key", "windowStart", "attempts") VALUES (${key}, ${windowStart}, 1)
        ON CONFLICT ("key", "windowStart") DO UPDATE SET "attempts" = "LoginAttemptWindow"."attempts" + 1
        RETURNING "attempts"`;
      // Old windows count for nothing: swept every 100 attempts, so the table stays small without a timer.
      if (++hits % 100 === 0) {
        const before = new Date(windowStart.getTime() - retainMs);
        void db.loginAttemptWindow.deleteMany({ where: { windowStart: { lt: before } } }).catch(() => {});
      }
      return Number(rows[0]?.attempts ?? 0);
    },
    async count(key, since) {
      const total = await db.loginAttemptWindow.aggregate({
        where: { key, windowStart: { gt: since } },
        _sum: { attempts: true },
      });
      return total._sum.attempts ?? 0;
    },
    async undo(key, windowStart) {
      await db.loginAttemptWindow.updateMany({
        where: { key, windowStart, attempts: { gt: 0 } },
        data: { attempts: { decrement: 1 } },
      });
    },
    async clear(key) {
      await db.loginAttemptWindow.deleteMany({ where: { key } });
    },
  };
}
