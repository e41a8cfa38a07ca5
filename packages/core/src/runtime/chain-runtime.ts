import type { ChainSetting } from "../chains/chain-setting.ts";
import type { ChainName } from "../chains/chain-table.ts";
import type { ResolvedChain } from "../chains/resolve-chain.ts";
import type { Facilitator } from "../facilitator/facilitator.ts";

/** An enabled chain as the server runs it: table row with addresses resolved, its setting, its facilitator. */
export interface ConfiguredChain {
  chain: ResolvedChain;
  setting: ChainSetting;
  facilitator: Facilitator;
}

/**
 * The chains this server has configured (ledger settings + the devnet), with one facilitator each.
 * Implemented in apps/api; services receive it so tests can pass a fake or the real devnet.
 */
export interface ChainRuntime {
  /** Every enabled chain. */
  list(): Promise<ConfiguredChain[]>;
  /** One enabled chain, or null when the server has not configured it. */
  get(name: ChainName): Promise<ConfiguredChain | null>;
}
