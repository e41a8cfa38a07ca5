import type { FacilitatorHealth } from "../facilitator/facilitator-health.ts";
import type { ChainRuntime } from "../runtime/chain-runtime.ts";
import type { ChainSetting } from "./chain-setting.ts";
import { type ChainStatus, toRpcOrigin } from "./chain-status.ts";
import { type ChainName, chainNames, chainTable } from "./chain-table.ts";

/** What tRPC `chains.list` and `tollgate chains list` call. */
export interface ChainsService {
  /** Every enabled chain with its facilitator's health for the chain's network (checked now). */
  list(): Promise<ChainStatus[]>;
}

/** Lists enabled chains with live facilitator health; a chain that is enabled but unusable says why. */
export function createChainsService({
  runtime,
}: {
  /** The chain runtime, with each chain's stored setting. */
  runtime: ChainRuntime & { getSetting(name: ChainName): Promise<ChainSetting | null> };
}): ChainsService {
  return {
    async list() {
      const statuses = await Promise.all(
        chainNames.map(async (name): Promise<ChainStatus | null> => {
          const setting = await runtime.getSetting(name);
          if (!setting?.enabled) return null;
          const definition = chainTable.find((chain) => chain.name === name);
          if (!definition) return null;
          const configured = await runtime.get(name);
          const health: FacilitatorHealth = configured
            ? await configured.facilitator.checkHealth(definition.caip2)
            : {
                status: "unavailable",
                network: definition.caip2,
                checkedAt: new Date().toISOString(),
                reason: "not_configured",
                message: definition.devnet
                  ? "The devnet has not deployed its contracts yet"
                  : "The chain's contract addresses are unknown",
              };
          return {
            name,
            displayName: definition.displayName,
            caip2: definition.caip2,
            chainId: definition.chainId,
            testnet: definition.testnet,
            devnet: definition.devnet,
            rpcOrigin: toRpcOrigin(setting.rpcUrl),
            explorerUrl: definition.explorerUrl,
            usdc: {
              address: configured?.chain.usdc.address ?? definition.usdc.address,
              symbol: definition.usdc.symbol,
              decimals: definition.usdc.decimals,
              eip712: definition.usdc.eip712,
            },
            identityRegistry: configured?.chain.identityRegistry ?? definition.identityRegistry,
            registrationSigner: setting.registrationSignerSecret !== undefined,
            facilitator: {
              kind: setting.facilitator === "local" ? "local" : "http",
              label: configured?.facilitator.label ?? describeFacilitator(setting),
              health,
            },
          };
        }),
      );
      return statuses.filter((status): status is ChainStatus => status !== null);
    },
  };
}

function describeFacilitator(setting: ChainSetting): string {
  return setting.facilitator === "local" ? "local" : setting.facilitator;
}
