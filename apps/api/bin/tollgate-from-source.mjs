#!/usr/bin/env node
// The CLI from its TypeScript sources, through tsx's loader (about 1.5 s to start). `tollgate.mjs`
// runs this when the bundle is stale or the command runs the server or opens the local ledger; the
// bundle hands such commands here too.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
