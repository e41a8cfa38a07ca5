// Test fixture: a gateway process (devnet facilitator, Postgres ledger) a test can kill -9 mid-settlement.
// Usage: node run-gateway-process.ts <databaseUrl> <DevnetGatewayConfig as JSON>, compiled first (startTargetProcess). Prints READY <json>.
import { createPrismaClient } from "@tollgate/db";
import { type DevnetGatewayConfig, serveDevnetGateway } from "./serve-devnet-gateway.ts";

const [databaseUrl, configJson] = process.argv.slice(2);
if (!databaseUrl || !configJson) throw new Error("usage: run-gateway-process.ts <databaseUrl> <config json>");
const served = await serveDevnetGateway(createPrismaClient(databaseUrl), JSON.parse(configJson) as DevnetGatewayConfig);
process.stdout.write(`READY ${JSON.stringify({ url: served.origin })}\n`);
setInterval(() => {}, 60_000);
