// The one place apps/api reads the environment: parsed once, at start, with zod.
import { homedir } from "node:os";
import { resolveTollgateHome } from "@tollgate/core";
import { z } from "zod";
import { parseProxyEntry } from "./security/client-address.ts";

const onOff = z
  .enum(["1", "0", "true", "false", "on", "off", "yes", "no"])
  .transform((v) => ["1", "true", "on", "yes"].includes(v));

const envSchema = z.object({
  TOLLGATE_HOME: z.string().min(1).optional(),
  XDG_DATA_HOME: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, "must be a postgres:// or postgresql:// URL")
    .optional(),
  TOLLGATE_HOST: z.string().min(1).default("127.0.0.1"),
  TOLLGATE_PORT: z.coerce.number().int().min(0).max(65535).default(8402),
  TOLLGATE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  TOLLGATE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TOLLGATE_LOG_FORMAT: z.enum(["pretty", "json"]).optional(),
  TOLLGATE_DEVNET: onOff.default(true),
  /** off: serve only the API, discovery documents and gateway (no storefront/admin web app). */
  TOLLGATE_WEB: onOff.default(true),
  /** on/off: whether GET /metrics answers without a token; unset: only when listening on loopback. */
  TOLLGATE_METRICS_PUBLIC: onOff.optional(),
  /** Comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed. */
  TOLLGATE_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value, ctx) => {
      const entries = value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean);
      for (const entry of entries) {
        const parsed = parseProxyEntry(entry);
        if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
      }
      return entries;
    }),
  /** The largest request body a paid route forwards to its upstream (413 above it). */
  TOLLGATE_MAX_PAID_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /** This server's name among replicas sharing one ledger (SPEC §15); default `<hostname>:<port>`. */
  TOLLGATE_REPLICA_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$/, "must be 1-40 letters, digits, '.', '_', ':' or '-'")
    .optional(),
  /** A master key file (32 bytes, base64) shared by every replica on one ledger; unset: `<home>/secrets/master.key`. */
  TOLLGATE_MASTER_KEY_FILE: z.string().min(1).optional(),
  /** The server the CLI talks to; unset: the current remote, else http://127.0.0.1:8402. */
  TOLLGATE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The CLI keeps its named remotes in `$XDG_CONFIG_HOME/tollgate/remotes.json`. */
  XDG_CONFIG_HOME: z.string().optional(),
  TOLLGATE_TOKEN: z.string().min(1).optional(),
  /** local: the server routes offers itself; kubernetes: offers are also projected into a cluster (SPEC §12). */
  TOLLGATE_DRIVER: z.enum(["local", "kubernetes"]).default("local"),
  /** The kubeconfig of the kubernetes driver; unset: the in-cluster service account. */
  KUBECONFIG: z.string().min(1).optional(),
  /** Namespace of the ServiceOffers and HTTPRoutes. */
  TOLLGATE_KUBE_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a namespace name")
    .default("default"),
  /** Tollgate's own Service (`name:port`), the backend of every HTTPRoute. */
  TOLLGATE_KUBE_SERVICE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?:\d{1,5}$/, "must be <service>:<port>, e.g. tollgate:8402")
    .default("tollgate:8402"),
});

export type Env = z.infer<typeof envSchema> & { home: string };

/** Thrown for a bad environment; the message names the variable. */
export class EnvError extends Error {}

/** Parses the environment once; a bad value throws an EnvError naming the variable. */
export function loadEnv(raw: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    throw new EnvError(`invalid environment variable ${name}: ${issue?.message ?? "bad value"}`);
  }
  const home = resolveTollgateHome({
    tollgateHome: parsed.data.TOLLGATE_HOME,
    xdgDataHome: parsed.data.XDG_DATA_HOME,
    userHome: homedir(),
  });
  return { ...parsed.data, home };
}

/** Whether stdout is a terminal (pretty logs, human CLI output). */
export const stdoutIsTty = Boolean(process.stdout.isTTY);
