import { z } from "zod";

const devnetAccountInfoSchema = z.object({
  address: z.string(),
  /** Devnet keys are shown on purpose (test money); never for any other chain. */
  privateKey: z.string().nullable(),
  /** Wei, decimal string; null when the devnet is not running. */
  ethBalance: z.string().nullable(),
  /** Atomic USDC units, decimal string; null when the devnet is not running. */
  usdcBalance: z.string().nullable(),
  /** The same in USDC, e.g. "1000000.5". */
  usdcBalanceFormatted: z.string().nullable(),
});

/** What `tollgate devnet info --json` prints and `devnet.info` returns. */
export const devnetInfoSchema = z.object({
  rpcUrl: z.string(),
  chainId: z.number().int(),
  running: z.boolean(),
  usdc: z.string(),
  identityRegistry: z.string(),
  accounts: z.object({
    seller: devnetAccountInfoSchema,
    buyer: devnetAccountInfoSchema,
    facilitator: devnetAccountInfoSchema,
  }),
});

export type DevnetInfo = z.infer<typeof devnetInfoSchema>;
export type DevnetAccountInfo = z.infer<typeof devnetAccountInfoSchema>;
