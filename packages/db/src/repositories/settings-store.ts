import type { SettingsStore } from "@tollgate/core";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../prisma-client.ts";

/** Runtime settings as JSON values in the ledger. */
export function createSettingsStore(options: { db: Db }): SettingsStore {
  const { db } = options;
  return {
    async get<T>(key: string) {
      const row = await db.setting.findUnique({ where: { key } });
      return row ? (row.value as T) : null;
    },
    async set(key, value) {
      const json = value as Prisma.InputJsonValue;
      await db.setting.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
    },
  };
}
