// The owner/API token for the admin page, kept in this tab's sessionStorage until real login
// (session cookies) exists. A tiny external store so React re-renders on sign-in and sign-out.

const STORAGE_KEY = "tollgate.adminToken";
const listeners = new Set<() => void>();

function readStorage(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (privacy mode): behave as signed out
  }
}

/** The stored token, or null when signed out (always null on the server). */
export function getAdminToken(): string | null {
  if (typeof window === "undefined") return null;
  return readStorage();
}

/** Stores the token for this tab and notifies subscribers. */
export function setAdminToken(token: string): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Without storage the sign-in cannot persist; the caller still sees the error from the next query.
  }
  for (const listener of listeners) listener();
}

/** Forgets the token and notifies subscribers. */
export function clearAdminToken(): void {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
  for (const listener of listeners) listener();
}

/** Subscribes to token changes (for useSyncExternalStore). */
export function subscribeAdminToken(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}
