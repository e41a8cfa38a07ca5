import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { SecretStore, SettingsStore } from "@tollgate/core/secrets/secret-store";

/** A SecretStore in a Map (tests only: nothing is encrypted). */
export function createMemorySecretStore(
  initial: Record<string, string> = {},
): SecretStore & { dump(): Record<string, string> } {
  const values = new Map(Object.entries(initial));
  return {
    async get(name) {
      return values.get(name) ?? null;
    },
    async set(name, value) {
      values.set(name, value);
    },
    async delete(name) {
      values.delete(name);
    },
    dump: () => Object.fromEntries(values),
  };
}

/** A SettingsStore in a Map; values are JSON round-tripped as the ledger would store them. */
export function createMemorySettingsStore(initial: Record<string, unknown> = {}): SettingsStore & {
  dump(): Record<string, unknown>;
} {
  const values = new Map(Object.entries(initial).map(([k, v]) => [k, JSON.stringify(v)]));
  return {
    async get<T>(key: string) {
      const raw = values.get(key);
      return raw === undefined ? null : (JSON.parse(raw) as T);
    },
    async set(key, value) {
      values.set(key, JSON.stringify(value));
    },
    dump: () => Object.fromEntries([...values].map(([k, v]) => [k, JSON.parse(v)])),
  };
}

/** Secret and settings stores persisted in one JSON file, so a second process sees them (tests only). */
export function createJsonFileStores(file: string): { secrets: SecretStore; settings: SettingsStore } {
  const read = (): { secrets: Record<string, string>; settings: Record<string, unknown> } =>
    existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : { secrets: {}, settings: {} };
  const write = (data: ReturnType<typeof read>) => writeFileSync(file, JSON.stringify(data, null, 2), { mode: 0o600 });
  return {
    secrets: {
      async get(name) {
        return read().secrets[name] ?? null;
      },
      async set(name, value) {
        const data = read();
        data.secrets[name] = value;
        write(data);
      },
      async delete(name) {
        const data = read();
        delete data.secrets[name];
        write(data);
      },
    },
    settings: {
      async get<T>(key: string) {
        return (read().settings[key] as T | undefined) ?? null;
      },
      async set(key, value) {
        const data = read();
        data.settings[key] = value;
        write(data);
      },
    },
  };
}
