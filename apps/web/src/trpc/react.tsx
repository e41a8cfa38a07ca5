"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { AppRouter } from "@tollgate/api/trpc";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import { getAdminToken } from "../lib/admin-token-store.ts";

/** Same origin as the pages: `tollgate serve` answers tRPC on `/trpc` next to the Next app. */
export const TRPC_PATH = "/trpc";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** Headers for a tRPC request: the owner/API token as a Bearer credential when one is given. */
export function authHeaders(token: string | null): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * Builds the tRPC client. Queries and mutations go through one batched HTTP link; subscriptions
 * (live payments and conditions, a later issue) go over SSE. EventSource cannot send an
 * Authorization header, so subscriptions will authenticate with the admin session cookie.
 */
export function createClient(getToken: () => string | null = getAdminToken) {
  const url = TRPC_PATH;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url }),
        false: httpBatchLink({ url, headers: () => authHeaders(getToken()) }),
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

function createQueryClient() {
  return new QueryClient({
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
