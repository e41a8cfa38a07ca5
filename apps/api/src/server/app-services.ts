import type { ApiTokenService } from "@tollgate/core";

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
  system: {
    getInfo(): Promise<ServerInfo>;
  };
}
