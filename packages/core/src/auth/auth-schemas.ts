import { z } from "zod";

/** Password rules for the owner's admin login: long enough to resist guessing, bounded to keep hashing cheap. */
export const passwordRules = { minLength: 10, maxLength: 200 } as const;

/** A new admin password (SPEC §11). */
export const passwordSchema = z
  .string()
  .min(passwordRules.minLength, `use at least ${passwordRules.minLength} characters`)
  .max(passwordRules.maxLength, `use at most ${passwordRules.maxLength} characters`)
  .refine((value) => value.trim().length === value.length, "must not start or end with spaces");

/** The one admin user this server has: the owner. */
export const ownerUsername = "owner";

/** `auth.login`: the owner's password (checked against the stored hash, so no length rule beyond a bound). */
export const loginInputSchema = z.object({
  password: z.string().min(1, "enter the password").max(passwordRules.maxLength),
});

/** `auth.setupPassword`: the first-run page proves it is the owner with the owner API token. */
export const setupPasswordInputSchema = z.object({
  ownerToken: z.string().min(1, "paste the owner token").max(200),
  password: passwordSchema,
});

/** `auth.setPassword` (admin token or session; the CLI `tollgate admin password`). */
export const setPasswordInputSchema = z.object({ password: passwordSchema });

/** What `auth.status` tells anyone: whether a password exists and whether this caller is signed in. */
export const authStatusSchema = z.object({
  passwordSet: z.boolean(),
  signedIn: z.boolean(),
  kind: z.enum(["anonymous", "token", "session"]),
  actor: z.string().nullable(),
});
export type AuthStatus = z.infer<typeof authStatusSchema>;

/** A created session: the token goes into the cookie and nowhere else. */
export const sessionResultSchema = z.object({ expiresAt: z.string() });
