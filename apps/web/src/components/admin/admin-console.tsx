"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState, useSyncExternalStore } from "react";
import { clearAdminToken, getAdminToken, subscribeAdminToken } from "../../lib/admin-token-store.ts";
import { SignInCard } from "./sign-in-card.tsx";
import { SignedInView } from "./signed-in-view.tsx";

/** undefined while rendering on the server / hydrating: the token lives in sessionStorage only. */
const getServerSnapshot = () => undefined;

/** Chooses between the sign-in card and the console, from the token stored in this tab. */
export function AdminConsole() {
  const token = useSyncExternalStore<string | null | undefined>(subscribeAdminToken, getAdminToken, getServerSnapshot);
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback(
    (reason?: string) => {
      clearAdminToken();
      // Answers fetched with the old token must not leak into the next session.
      queryClient.removeQueries();
      setNotice(reason ?? null);
    },
    [queryClient],
  );

  if (token === undefined) {
    return (
      <p role="status" className="text-slate-600">
        Checking sign-in…
      </p>
    );
  }
  if (token === null) {
    return <SignInCard notice={notice} onSignedIn={() => setNotice(null)} />;
  }
  return <SignedInView onSignOut={signOut} />;
}
