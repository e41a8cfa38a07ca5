import type { ApiTokenService } from "@tollgate/core";
import type { PaymentsService } from "@tollgate/core/payments/index";
import type { ChainsService } from "../chain/create-chains-service.ts";
import type { DevnetService } from "../chain/create-devnet-service.ts";

export interface ServerInfo {
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  database: { mode: "embedded" | "external"; serverVersion: string };
  migrations: { applied: number };
  home: string;
  publicBaseUrl: string;
}

/** Everything the transports (tRPC, HTTP, CLI) call into: real adapters wired to core services. */
export interface AppServices {
  version: string;
  tokens: ApiTokenService;
  /** The payments ledger: pages of payments and the revenue report. */
  payments: PaymentsService;
  system: {
    getInfo(): Promise<ServerInfo>;
  };
  /** Enabled chains with facilitator health (chain layer; absent until the server wires it). */
  chains?: ChainsService;
  /** The embedded devnet (absent when the server runs without it). */
  devnet?: DevnetService;
}
