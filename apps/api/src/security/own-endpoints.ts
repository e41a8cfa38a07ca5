import { lookup } from "node:dns/promises";
import { networkInterfaces } from "node:os";
import type { OwnEndpoint, OwnEndpoints } from "@tollgate/core/offers/index";

/**
 * The ports this server's own processes listen on, as this run started them: Tollgate's origin, the
 * ledger's PostgreSQL (embedded or a DATABASE_URL server) and the devnet's anvil. No offer upstream may use
 * one (checked at create/update and again by the gateway, since a restart can move them).
 */
export function describeOwnEndpoints({
  host,
  port,
  database,
  devnetRpcUrl,
}: {
  host: string;
  port: number;
  database: { host: string; port: number };
  devnetRpcUrl?: string | undefined;
}): OwnEndpoints {
  const endpoints: OwnEndpoint[] = [
    { host, port, label: "Tollgate itself" },
    { host: database.host, port: database.port, label: "the ledger's PostgreSQL" },
  ];
  if (devnetRpcUrl) {
    const rpc = new URL(devnetRpcUrl);
    endpoints.push({ host: rpc.hostname, port: Number(rpc.port), label: "the devnet chain (anvil)" });
  }
  const machineAddresses = Object.values(networkInterfaces())
    .flat()
    .flatMap((info) => (info ? [info.address] : []));
  return { endpoints, machineAddresses };
}

/**
 * The addresses a host name resolves to, or none when it does not resolve within `timeoutMs` (then the
 * gateway's connect-time check still refuses an own port).
 */
export async function resolveHostAddresses(hostname: string, timeoutMs = 1_000): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), timeoutMs);
  });
  try {
    const resolved = lookup(hostname, { all: true }).then(
      (answers) => answers.map((answer) => answer.address),
      () => [],
    );
    return await Promise.race([resolved, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
