"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { AppRouter } from "@tollgate/api/trpc";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import { isUnauthenticated } from "../lib/describe-error.ts";

/** Same origin as the pages: `tollgate serve` answers tRPC on `/trpc` next to the Next app. */
export const TRPC_PATH = "/trpc";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/**
 * Builds the tRPC client. Queries and mutations go through one batched HTTP link; subscriptions (live
 * payments and conditions) go over SSE. Both authenticate with the admin session cookie, which the
 * browser sends by itself on this origin (EventSource cannot send an Authorization header).
 */
export function createClient() {
  const url = TRPC_PATH;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url }),
        false: httpBatchLink({ url }),
      }),
    ],
  });
}

/** Client errors (4xx) will not get better by retrying; network and 5xx errors get one retry. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof TRPCClientError) {
    const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
    if (status !== undefined && status < 500) return false;
  }
  return failureCount < 1;
}

/** An admin page whose session ended (expired, logged out elsewhere) goes back to the login page. */
function redirectToLoginOn401(error: unknown): void {
  if (typeof window === "undefined" || !isUnauthenticated(error)) return;
  const { pathname, search } = window.location;
  if (!pathname.startsWith("/admin") || pathname.startsWith("/admin/login") || pathname.startsWith("/admin/setup"))
    return;
  window.location.assign(`/admin/login?next=${encodeURIComponent(pathname + search)}`);
}

function createQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: redirectToLoginOn401 }),
    mutationCache: new MutationCache({ onError: redirectToLoginOn401 }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
}

/** Provides React Query and the typed tRPC hooks to client components. */
export function TrpcReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(() => createClient());
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
