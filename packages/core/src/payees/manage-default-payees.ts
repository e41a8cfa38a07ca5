import { z } from "zod";
import type { AuditSink } from "../audit/audit-sink.ts";
import { chainNames } from "../chains/chain-table.ts";
import { chainNameSchema, payToSchema } from "../offers/offer-schemas.ts";
import { payeeSettingKey } from "../offers/offer-service.ts";
import type { SettingsStore } from "../secrets/secret-store.ts";

export const defaultPayeeSchema = z.object({ chain: z.enum(chainNames), payTo: z.string().nullable() });
export type DefaultPayee = z.infer<typeof defaultPayeeSchema>;

/** `payees.set`: a checksummable address, or null to clear it. */
export const setDefaultPayeeInputSchema = z.object({ chain: chainNameSchema, payTo: payToSchema.nullable() });

/** Default payee per chain (the `payees/<chain>` settings offers fall back to when created without payTo). */
export function createDefaultPayeesService(deps: { settings: SettingsStore; audit: AuditSink }) {
  const { settings, audit } = deps;
  return {
    /** Every built-in chain with its default payee, or null. */
    async list(): Promise<DefaultPayee[]> {
      return Promise.all(
        chainNames.map(async (chain) => ({
          chain,
          payTo: (await settings.get<string>(payeeSettingKey(chain))) ?? null,
        })),
      );
    },
    /** Sets (or clears with null) a chain's default payee; audited. */
    async set(input: {
      chain: (typeof chainNames)[number];
      payTo: string | null;
      actor: string;
    }): Promise<DefaultPayee> {
      const before = await settings.get<string>(payeeSettingKey(input.chain));
      await settings.set(payeeSettingKey(input.chain), input.payTo);
      await audit.record({
        actor: input.actor,
        action: "payee.set",
        objectType: "Setting",
        objectId: payeeSettingKey(input.chain),
        before,
        after: input.payTo,
      });
      return { chain: input.chain, payTo: input.payTo };
    },
  };
}

export type DefaultPayeesService = ReturnType<typeof createDefaultPayeesService>;
