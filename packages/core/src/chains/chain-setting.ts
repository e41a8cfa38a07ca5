import { z } from "zod";
import { type ChainName, chainNames } from "./chain-table.ts";

/** Facilitator of a chain: `local` (in-process, pays gas from a key we hold) or an http(s) facilitator URL. */
export const facilitatorSettingSchema = z.union([z.literal("local"), z.url({ protocol: /^https?$/ })]);

/** A chain the seller enabled: where to reach it, who verifies and settles, who signs registrations. */
export const chainSettingSchema = z.object({
  name: z.enum(chainNames),
  rpcUrl: z.url({ protocol: /^https?$/ }),
  facilitator: facilitatorSettingSchema,
  /** Name of the Secret holding the key that signs ERC-8004 registrations (it pays their gas). */
  registrationSignerSecret: z.string().min(1).max(200).optional(),
  enabled: z.boolean(),
});

export type ChainSetting = z.infer<typeof chainSettingSchema>;
export type FacilitatorSetting = z.infer<typeof facilitatorSettingSchema>;

/** The SettingsStore key under which a chain's setting is stored. */
export function chainSettingKey(name: ChainName): string {
  return `chains/${name}`;
}
