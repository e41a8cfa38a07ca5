import { type Address, getAddress, type Hex, isAddress } from "viem";
import { z } from "zod";

const addressSchema = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), "not a 20-byte address")
  .transform((value) => getAddress(value) as Address);

/** The SettingsStore key of the devnet's record (addresses and port; keys are Secrets). */
export const devnetSettingKey = "devnet";

/** Secret names of the devnet's keys. Devnet only: these accounts hold test money. */
export const devnetSecretNames = {
  deployer: "devnet/deployer-key",
  seller: "devnet/seller-key",
  buyer: "devnet/buyer-key",
  facilitator: "devnet/facilitator-key",
} as const;

export type DevnetRole = keyof typeof devnetSecretNames;

/** What the devnet remembers between starts, next to anvil's own state file. */
export const devnetSettingSchema = z.object({
  chainId: z.number().int().positive(),
  /** Last port anvil listened on; reused when free so the RPC URL stays stable across restarts. */
  port: z.number().int().min(1).max(65_535),
  rpcUrl: z.url(),
  usdc: addressSchema,
  identityRegistry: addressSchema,
  accounts: z.object({
    deployer: addressSchema,
    seller: addressSchema,
    buyer: addressSchema,
    facilitator: addressSchema,
  }),
  deployedAt: z.string(),
  /** anvil's state file on the box that runs it: a new leader on the same box restarts from it (SPEC §15). */
  stateFile: z.string().optional(),
});

export type DevnetSetting = z.infer<typeof devnetSettingSchema>;

/** A devnet account with its key (devnet only). */
export interface DevnetAccount {
  address: Address;
  privateKey: Hex;
}
