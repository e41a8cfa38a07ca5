import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { formatTable, printResult } from "../output.ts";

type Status = Awaited<ReturnType<ReturnType<CliContext["client"]>["cluster"]["status"]["query"]>>;

/** Who this server is among the replicas on its ledger, and who leads. */
const renderReplication = (r: Status["replication"]): string =>
  [
    `Replica:       ${r.replica} (${r.role})`,
    `Leader:        ${r.leader ?? "none (a failover is in progress)"}${r.election ? ` (by ${r.election})` : ""}`,
    `Replicas:      ${r.replicas.map((x) => `${x.id}${x.leader ? " (leader)" : ""}`).join(", ") || "none"}`,
  ].join("\n");

const render = (s: Status): string => {
  if (s.driver === "local") {
    return [
      "Driver:        local (offers are routed by this server; set TOLLGATE_DRIVER=kubernetes to project them into a cluster).",
      renderReplication(s.replication),
    ].join("\n");
  }
  return [
    renderReplication(s.replication),
    `Driver:        kubernetes`,
    `API server:    ${s.server}`,
    `Namespace:     ${s.namespace}`,
    `Gateway:       ${s.gateway ?? "(none: set one with tollgate settings set gateway <ns>/<name>)"}`,
    `ServiceOffers: ${s.managedOffers} managed`,
    `Last sync:     ${s.lastSyncAt ?? "never"}${s.lastError ? ` (last error: ${s.lastError})` : ""}`,
    `Drift repairs: ${s.driftRepairs}`,
    "",
    formatTable(
      ["CONDITION", "STATUS", "REASON", "MESSAGE"],
      s.conditions.map((c) => [c.type, c.status, c.reason, c.message]),
    ),
  ].join("\n");
};

/** `tollgate cluster status`: the kubernetes driver's view (exit 1 when the API server is unreachable). */
export function registerCluster(program: Command, getContext: () => CliContext): void {
  const cluster = program.command("cluster").description("the kubernetes driver: API server, CRD, drift");
  cluster
    .command("status")
    .description("replicas and the leader; API server reachability, ServiceOffer CRD, managed offers and drift repairs")
    .action(async () => {
      const ctx = getContext();
      const status = await ctx.client().cluster.status.query();
      printResult(ctx.json, status, () => render(status));
      const reachable =
        status.driver === "local" || status.conditions.find((c) => c.type === "ClusterReachable")?.status === "True";
      if (!reachable) process.exitCode = exitCodes.refused;
    });
}

/** `tollgate settings set gateway <ns>/<name>` (or `none`). */
export async function setGatewaySetting(ctx: CliContext, value: string): Promise<void> {
  const gateway = value === "none" ? null : value;
  if (gateway !== null && !/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(gateway)) {
    throw new CliError("gateway must be <namespace>/<name> (or none)", exitCodes.usage, { code: "USAGE" });
  }
  const status = await ctx.client().cluster.setGateway.mutate({ gateway });
  printResult(
    ctx.json,
    status,
    () => `gateway  ${status.driver === "kubernetes" ? (status.gateway ?? "none") : (gateway ?? "none")}`,
  );
}
