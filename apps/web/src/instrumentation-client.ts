// Runs before the app's client code (and its zod schemas) load. zod's JIT probes `new Function` when a
// schema is built; the strict CSP (src/proxy.ts, no 'unsafe-eval') refuses it and the browser reports a
// violation even though zod catches the error. Parsing without the JIT needs no eval.
import { config } from "zod";

config({ jitless: true });
