// Test fixture: a stand-in "server" process that starts the devnet and then waits to be killed.
// Usage: node run-devnet-process.ts <home> <stores.json>, compiled first (scripts/node-bundle.mjs bundleScript).
import { startDevnet } from "../start-devnet.ts";
import { createJsonFileStores } from "./memory-stores.ts";

const [home, storeFile] = process.argv.slice(2);
if (!home || !storeFile) throw new Error("usage: run-devnet-process.ts <home> <stores.json>");
const devnet = await startDevnet({ home, ...createJsonFileStores(storeFile) });
process.stdout.write(`READY ${JSON.stringify({ pid: devnet.pid, rpcUrl: devnet.rpcUrl })}\n`);
setInterval(() => {}, 60_000);
