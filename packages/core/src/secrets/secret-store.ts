/** Encrypted-at-rest secrets, addressed by a stable name (e.g. `devnet/buyer-key`). */
export interface SecretStore {
  /** The plaintext of a secret, or null when it was never set. */
  get(name: string): Promise<string | null>;
  /** Creates or replaces a secret. */
  set(name: string, value: string): Promise<void>;
  /** Removes a secret; no error when absent. */
  delete(name: string): Promise<void>;
}

/** Settings stored in the ledger as JSON values under a key. */
export interface SettingsStore {
  /** The JSON value of a setting, or null when unset. */
  get<T = unknown>(key: string): Promise<T | null>;
  /** Creates or replaces a setting. */
  set(key: string, value: unknown): Promise<void>;
}
