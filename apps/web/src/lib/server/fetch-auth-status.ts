import type { AuthStatus } from "@tollgate/core";
import { cookies } from "next/headers";
import { getServerOrigin } from "./server-origin.ts";

/** `auth.status` for the browser's own session cookie; null when the server could not say. */
export async function fetchAuthStatus(): Promise<AuthStatus | null> {
  const origin = getServerOrigin();
  const cookieHeader = (await cookies())
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
  try {
    const response = await fetch(`${origin}/trpc/auth.status`, {
      cache: "no-store",
      headers: cookieHeader ? { cookie: cookieHeader } : {},
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { result?: { data?: AuthStatus } };
    return body.result?.data ?? null;
  } catch {
    return null;
  }
}
