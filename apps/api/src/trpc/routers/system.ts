import { z } from "zod";
import { publicProcedure, readProcedure, router } from "../trpc.ts";

const serverInfoSchema = z.object({
  version: z.string(),
  startedAt: z.string(),
  uptimeSeconds: z.number().int(),
  database: z.object({ mode: z.enum(["embedded", "external"]), serverVersion: z.string() }),
  migrations: z.object({ applied: z.number().int() }),
  home: z.string(),
  publicBaseUrl: z.string(),
});

export const systemRouter = router({
  /** Liveness for clients; says nothing private. */
  ping: publicProcedure.output(z.object({ ok: z.literal(true), version: z.string() })).query(({ ctx }) => ({
    ok: true as const,
    version: ctx.services.version,
  })),
  /** Server facts for the admin page. */
  info: readProcedure.output(serverInfoSchema).query(({ ctx }) => ctx.services.system.getInfo()),
  /** Who the caller is, for the admin UI. */
  whoami: readProcedure
    .output(z.object({ kind: z.enum(["token", "session"]), scope: z.enum(["admin", "read"]), actor: z.string() }))
    .query(({ ctx }) => ({ kind: ctx.caller.kind, scope: ctx.caller.scope, actor: ctx.caller.actor })),
});
