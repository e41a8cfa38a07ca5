import { z } from "zod";
import { facilitatorHealthSchema } from "../facilitator/facilitator-health.ts";
import { chainNames } from "./chain-table.ts";

/** An enabled chain as the admin UI and `tollgate chains list` show it: table facts, setting, facilitator health. */
export const chainStatusSchema = z.object({
  name: z.enum(chainNames),
  displayName: z.string(),
  caip2: z.string(),
  chainId: z.number().int(),
  testnet: z.boolean(),
  devnet: z.boolean(),
  /** Scheme, host and port of the RPC URL only: the path or query may carry a provider key. */
  rpcOrigin: z.string(),
  explorerUrl: z.string().nullable(),
  usdc: z.object({
    address: z.string().nullable(),
    symbol: z.string(),
    decimals: z.number().int(),
    eip712: z.object({ name: z.string(), version: z.string() }),
  }),
  identityRegistry: z.string().nullable(),
  /** Whether a registration signer key is configured (the key itself is never shown). */
  registrationSigner: z.boolean(),
  facilitator: z.object({
    kind: z.enum(["local", "http"]),
    label: z.string(),
    health: facilitatorHealthSchema,
  }),
});

export type ChainStatus = z.infer<typeof chainStatusSchema>;

/** The origin of an RPC URL (no path, query or credentials), for display. */
export function toRpcOrigin(rpcUrl: string): string {
  try {
    return new URL(rpcUrl).origin;
  } catch {
    return "invalid URL";
  }
}
