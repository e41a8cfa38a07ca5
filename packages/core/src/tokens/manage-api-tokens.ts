import type { AuditSink } from "../audit/audit-sink.ts";
import { TollgateError } from "../errors/error-codes.ts";
import type { TokenScope, TokenSummary } from "./api-token-schemas.ts";

export interface ApiTokenStore {
  create(input: { name: string; scope: TokenScope }): Promise<{ token: string; summary: TokenSummary }>;
  list(): Promise<TokenSummary[]>;
  revoke(name: string): Promise<boolean>;
}

/** API token management: create (the secret is returned once), list, revoke; every change audited. */
export function createApiTokenService(deps: { store: ApiTokenStore; audit: AuditSink }) {
  const { store, audit } = deps;
  return {
    /** Creates a token; the plaintext is in the result and nowhere else. */
    async create(input: { name: string; scope: TokenScope; actor: string }) {
      const created = await store.create({ name: input.name, scope: input.scope });
      await audit.record({
        actor: input.actor,
        action: "token.create",
        objectType: "ApiToken",
        objectId: input.name,
        after: { scope: input.scope },
      });
      return created;
    },
    list: () => store.list(),
    /** Revokes a live token by name. */
    async revoke(input: { name: string; actor: string }): Promise<TokenSummary> {
      if (!(await store.revoke(input.name))) {
        throw new TollgateError("NOT_FOUND", `no live token named "${input.name}"`, { field: "name" });
      }
      await audit.record({ actor: input.actor, action: "token.revoke", objectType: "ApiToken", objectId: input.name });
      const summary = (await store.list()).find((t) => t.name === input.name);
      if (!summary) throw new TollgateError("NOT_FOUND", `no token named "${input.name}"`, { field: "name" });
      return summary;
    },
  };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;
