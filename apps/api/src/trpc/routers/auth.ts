import {
  authStatusSchema,
  loginInputSchema,
  sessionResultSchema,
  setPasswordInputSchema,
  setupPasswordInputSchema,
} from "@tollgate/core";
import { z } from "zod";
import { clearSessionCookie, setSessionCookie } from "../../http/session-cookie.ts";
import { adminProcedure, publicProcedure, router } from "../trpc.ts";

export const authRouter = router({
  /** Public: whether the owner has set a password and whether this caller is signed in. */
  status: publicProcedure
    .input(z.void())
    .output(authStatusSchema)
    .query(async ({ ctx }) => ({
      passwordSet: await ctx.services.auth.isPasswordSet(),
      signedIn: ctx.caller.kind !== "anonymous",
      kind: ctx.caller.kind,
      actor: ctx.caller.kind === "anonymous" ? null : ctx.caller.actor,
    })),
  /** First run: set the password with the owner token, and sign this browser in. */
  setupPassword: publicProcedure
    .input(setupPasswordInputSchema)
    .output(sessionResultSchema)
    .mutation(async ({ ctx, input }) => {
      const session = await ctx.services.auth.setupPassword(input);
      if (ctx.http) setSessionCookie(ctx.http, session.token, session.expiresAt);
      return { expiresAt: session.expiresAt.toISOString() };
    }),
  /** Password login: sets the `tollgate_session` cookie. */
  login: publicProcedure
    .input(loginInputSchema)
    .output(sessionResultSchema)
    .mutation(async ({ ctx, input }) => {
      const session = await ctx.services.auth.login({
        ...input,
        clientAddress: ctx.http?.clientAddress ?? "unknown",
      });
      if (ctx.http) setSessionCookie(ctx.http, session.token, session.expiresAt);
      return { expiresAt: session.expiresAt.toISOString() };
    }),
  /** Ends this browser's session and clears the cookie (harmless for anyone, so public). */
  logout: publicProcedure
    .input(z.void())
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      if (ctx.http?.sessionToken) await ctx.services.auth.logout(ctx.http.sessionToken);
      if (ctx.http) clearSessionCookie(ctx.http);
      return { ok: true as const };
    }),
  /** Sets or changes the owner's password (`tollgate admin password`); other sessions end. */
  setPassword: adminProcedure
    .input(setPasswordInputSchema)
    .output(z.object({ username: z.string() }))
    .mutation(({ ctx, input }) => ctx.services.auth.setPassword({ password: input.password, actor: ctx.caller.actor })),
});
