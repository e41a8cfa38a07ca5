/** Everything the transports (tRPC, HTTP, CLI) call into: real adapters wired to core services. */
export interface AppServices {
  version: string;
  system: {
    getInfo(): Promise<{
      version: string;
      startedAt: string;
      uptimeSeconds: number;
      database: { mode: "embedded" | "external"; serverVersion: string };
      migrations: { applied: number };
      home: string;
      publicBaseUrl: string;
    }>;
  };
}
