export {
  countLedgerRows,
  type LedgerSnapshot,
  ledgerChecksum,
  ledgerHasContent,
  readAllSecrets,
  readLedgerSnapshot,
  replaceLedger,
  type SnapshotTable,
} from "./bundle/ledger-snapshot.ts";
export {
  type EmbeddedPostgres,
  findRunningEmbeddedPostgres,
  startEmbeddedPostgres,
} from "./embedded/start-embedded-postgres.ts";
export type { Prisma } from "./generated/prisma/client.ts";
export { applyMigrations, createMigration } from "./migrations/migrations.ts";
export { type Ledger, openLedger } from "./open-ledger.ts";
export { createPgPool, formatDatabaseUrl, type PgConnectionParts, parseDatabaseUrl } from "./pg-pool.ts";
export { createPrismaClient, type Db } from "./prisma-client.ts";
export { isProcessAlive, readCommandLine } from "./process-info.ts";
export { createAdminAuthRepository, hashPassword, verifyPasswordHash } from "./repositories/admin-auth.ts";
export { createLoginAttemptCounter } from "./repositories/login-attempts.ts";
export { createAnalyticsRepository } from "./repositories/analytics.ts";
export {
  type ApiTokenRepository,
  type ApiTokenSummary,
  createApiTokenRepository,
  hashToken,
} from "./repositories/api-tokens.ts";
export { type AuditEntry, type AuditLog, createAuditLog } from "./repositories/audit-log.ts";
export { createModelRepository } from "./repositories/models.ts";
export { createPaymentRepository } from "./repositories/payments.ts";
export { createSecretStore, decryptSecret, encryptSecret } from "./repositories/secret-store.ts";
export { createSettingsStore } from "./repositories/settings-store.ts";
