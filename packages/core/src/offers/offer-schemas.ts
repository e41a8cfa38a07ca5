import { getAddress, isAddress } from "viem";
import { z } from "zod";
import { chainNames } from "../chains/chain-table.ts";
import { offerStates, offerTypes, priceUnits } from "./offer.ts";
import { findReservedPathForNewOffer } from "./reserved-paths.ts";
import { findForbiddenUpstreamUrl } from "./upstream-address-rules.ts";

/** Limits on free-text and list fields; oversized input is refused with the field named. */
export const offerLimits = {
  name: 63,
  description: 1_000,
  model: 200,
  url: 2_048,
  path: 256,
  shortText: 100,
  listItems: 32,
  listItem: 253,
  maxTimeoutSeconds: 3_600,
} as const;

const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;
const PATH_PATTERN = /^\/[A-Za-z0-9._~\-/]*$/;
const DECIMAL_PATTERN = /^\d+(\.\d+)?$/;

/** Offer name: a DNS label (SPEC §3). */
export const offerNameSchema = z
  .string()
  .min(1, "name is required")
  .max(offerLimits.name, `name is at most ${offerLimits.name} characters`)
  .regex(NAME_PATTERN, "use lowercase letters, digits and inner dashes (a DNS label), e.g. my-api");

/** An absolute http(s) URL, without a trailing slash. */
export const upstreamUrlSchema = z
  .string()
  .max(offerLimits.url, `at most ${offerLimits.url} characters`)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, "must be an absolute http(s) URL, e.g. http://127.0.0.1:8080")
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return;
    }
    const forbidden = findForbiddenUpstreamUrl(url);
    if (forbidden) ctx.addIssue({ code: "custom", message: forbidden });
  })
  .transform((value) => value.replace(/\/+$/, ""));

/** A cluster upstream `k8s://<namespace>/<service>:<port>` (kubernetes driver, SPEC §12). */
export const clusterUpstreamPattern =
  /^k8s:\/\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?:([1-9]\d{0,4})$/;

/** An offer upstream: an absolute http(s) URL, or a cluster Service reference (`k8s://ns/svc:port`). */
export const offerUpstreamSchema = z
  .string()
  .max(offerLimits.url, `at most ${offerLimits.url} characters`)
  .superRefine((value, ctx) => {
    if (value.startsWith("k8s://")) {
      const m = clusterUpstreamPattern.exec(value);
      if (!m || Number(m[3]) > 65535) {
        ctx.addIssue({
          code: "custom",
          message: "must be k8s://<namespace>/<service>:<port>, e.g. k8s://default/echo:8080",
        });
      }
      return;
    }
    const parsed = upstreamUrlSchema.safeParse(value);
    if (!parsed.success)
      ctx.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? "invalid upstream" });
  })
  .transform((value) => (value.startsWith("k8s://") ? value : value.replace(/\/+$/, "")));

/** A URL path starting with `/` (health checks). */
export const healthPathSchema = z
  .string()
  .max(offerLimits.path, `at most ${offerLimits.path} characters`)
  .regex(/^\/[A-Za-z0-9._~\-/?=&%]*$/, "must start with / and use URL path characters, e.g. /health");

/** The public path of an offer: not reserved (SPEC §4.3), no empty or dot segments, no trailing slash. */
export const offerPathSchema = z
  .string()
  .max(offerLimits.path, `at most ${offerLimits.path} characters`)
  .regex(PATH_PATTERN, "must start with / and use letters, digits, . _ ~ - and /")
  .refine((p) => !/\/\/|\/\.{1,2}(\/|$)/.test(p), "must not contain empty, . or .. segments")
  .refine((p) => p === "/" || !p.endsWith("/"), "must not end with /")
  .superRefine((p, ctx) => {
    const reserved = findReservedPathForNewOffer(p);
    if (reserved) ctx.addIssue({ code: "custom", message: `"${p}" is reserved (${reserved}); use /services/<name>` });
  });

/** A model name as an OpenAI-compatible upstream lists it (org/model:tag allowed). */
export const modelNameSchema = z
  .string()
  .min(1, "model is required")
  .max(offerLimits.model, `at most ${offerLimits.model} characters`)
  .regex(MODEL_PATTERN, "use letters, digits and . _ : / @ + -");

/** A checksummable 20-byte address; stored checksummed. The zero address is a placeholder and refused. */
export const payToSchema = z
  .string()
  .refine((value) => isAddress(value, { strict: true }), "must be a 20-byte 0x address with a valid checksum")
  .refine((value) => !/^0x0{40}$/i.test(value), "the zero address cannot receive payments")
  .transform((value) => getAddress(value));

/** The largest price an offer may ask, in whole units of the asset (SPEC §4.3). */
export const maxPriceUnits = 1_000_000;

/** Compares the decimal string itself: no float ever sees the amount. */
function isWithinMaxPrice(value: string): boolean {
  const [whole = "", fraction = ""] = value.split(".");
  const digits = whole.replace(/^0+/, "") || "0";
  if (digits.length > String(maxPriceUnits).length) return false;
  const units = Number(digits);
  return units < maxPriceUnits || (units === maxPriceUnits && !/[1-9]/.test(fraction));
}

/** The most a seller may allow a paid request's body to be (1 GiB, as TOLLGATE_MAX_PAID_BODY_BYTES). */
export const maxBodyBytesLimit = 1024 * 1024 * 1024;

/** Largest request body of one paid request, in bytes (0: no body at all). */
export const maxBodyBytesSchema = z
  .number()
  .int("must be a whole number of bytes")
  .min(0, "must be at least 0 bytes")
  .max(maxBodyBytesLimit, "must be at most 1073741824 bytes (1 GiB)");

/** A positive decimal string (the per-asset decimals are checked against the chain). */
export const priceSchema = z
  .string()
  .min(1, "price is required")
  .max(40, "price is too long")
  .regex(DECIMAL_PATTERN, 'must be a positive decimal such as "0.01"')
  .refine((value) => /[1-9]/.test(value), "must be greater than zero")
  .refine(isWithinMaxPrice, `must be at most ${maxPriceUnits.toLocaleString("en-US")} units of the asset`);

export const offerTypeSchema = z.enum(offerTypes);
export const priceUnitSchema = z.enum(priceUnits);
export const chainNameSchema = z.enum(chainNames);

const shortText = z.string().max(offerLimits.shortText, `at most ${offerLimits.shortText} characters`);
const listItem = z.string().min(1).max(offerLimits.listItem, `at most ${offerLimits.listItem} characters`);
const descriptionSchema = z.string().max(offerLimits.description, `at most ${offerLimits.description} characters`);

/** Registration fields (ERC-8004 document of the offer). */
export const registrationInputSchema = z.object({
  enabled: z.boolean().optional(),
  name: shortText.optional(),
  description: descriptionSchema.optional(),
  image: upstreamUrlSchema.optional(),
  skills: z.array(listItem).max(offerLimits.listItems).optional(),
  domains: z.array(listItem).max(offerLimits.listItems).optional(),
  metadata: z
    .record(z.string().min(1).max(64), z.string().max(offerLimits.description))
    .refine((m) => Object.keys(m).length <= offerLimits.listItems, `at most ${offerLimits.listItems} entries`)
    .optional(),
  services: z
    .array(z.object({ name: z.string().min(1).max(64), endpoint: upstreamUrlSchema }))
    .max(16)
    .optional(),
});

export const listingInputSchema = z.object({
  category: shortText.nullable().optional(),
  weight: z.number().int().min(-1_000).max(1_000).optional(),
});

/** What `offers create` takes (SPEC §3, §4.3). */
export const createOfferInputSchema = z.object({
  name: offerNameSchema,
  type: offerTypeSchema.default("http"),
  /** Required, except for an inference offer that sells a ledger model (its provider is the upstream). */
  upstream: offerUpstreamSchema.optional(),
  healthPath: healthPathSchema.optional(),
  path: offerPathSchema.optional(),
  model: modelNameSchema.optional(),
  /** Agent offers: the agent sold (its built-in runtime is the upstream). */
  agent: offerNameSchema.optional(),
  description: descriptionSchema.optional(),
  listing: listingInputSchema.optional(),
  payment: z.object({
    chain: chainNameSchema.default("local"),
    payTo: payToSchema.optional(),
    price: priceSchema,
    unit: priceUnitSchema.default("request"),
    maxTimeoutSeconds: z.number().int().min(1).max(offerLimits.maxTimeoutSeconds).optional(),
  }),
  /** Largest paid request body; absent: the server's TOLLGATE_MAX_PAID_BODY_BYTES. */
  maxBodyBytes: maxBodyBytesSchema.optional(),
  registration: registrationInputSchema.optional(),
});
export type CreateOfferInput = z.input<typeof createOfferInputSchema>;
export type ParsedCreateOfferInput = z.output<typeof createOfferInputSchema>;

/** What `offers update` takes: only the named fields change (SPEC §4.1). */
export const updateOfferInputSchema = z.object({
  name: offerNameSchema,
  upstream: offerUpstreamSchema.optional(),
  healthPath: healthPathSchema.optional(),
  model: modelNameSchema.optional(),
  description: descriptionSchema.optional(),
  listing: listingInputSchema.optional(),
  payment: z
    .object({
      chain: chainNameSchema.optional(),
      payTo: payToSchema.optional(),
      price: priceSchema.optional(),
      unit: priceUnitSchema.optional(),
      maxTimeoutSeconds: z.number().int().min(1).max(offerLimits.maxTimeoutSeconds).optional(),
    })
    .optional(),
  /** null: back to the server's default. */
  maxBodyBytes: maxBodyBytesSchema.nullable().optional(),
  registration: registrationInputSchema.optional(),
});
export type UpdateOfferInput = z.input<typeof updateOfferInputSchema>;
export type ParsedUpdateOfferInput = z.output<typeof updateOfferInputSchema>;

/** The longest drain a stop accepts (30 days). */
export const maxGraceSeconds = 30 * 24 * 3600;

export const stopOfferInputSchema = z.object({
  name: offerNameSchema,
  /** Seconds the offer keeps serving; 0 = stop now; default 1 h. */
  graceSeconds: z.number().int().min(0).max(maxGraceSeconds).default(3_600),
});
export type StopOfferInput = z.input<typeof stopOfferInputSchema>;

export const offerNameInputSchema = z.object({ name: offerNameSchema });
export const listOffersInputSchema = z.object({ all: z.boolean().default(false) }).default({ all: false });

export const conditionViewSchema = z.object({
  type: z.string(),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: z.string(),
  observedGeneration: z.number().int(),
});
export type ConditionView = z.infer<typeof conditionViewSchema>;

/** An offer as every transport shows it (dates as RFC 3339 strings). */
export const offerViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: offerTypeSchema,
  upstreamUrl: z.string(),
  healthPath: z.string(),
  path: z.string(),
  model: z.string().nullable(),
  description: z.string(),
  listing: z.object({ category: z.string().nullable(), weight: z.number().int() }),
  payment: z.object({
    chain: z.string(),
    asset: z.string(),
    payTo: z.string(),
    price: z.string(),
    unit: priceUnitSchema,
    maxTimeoutSeconds: z.number().int(),
    /** e.g. `0.01 USDC/request`. */
    display: z.string(),
    /** Atomic amount charged per request, or null when the stored price no longer parses. */
    amountPerRequest: z.string().nullable(),
    /** Non-null for approximate units: says how they are charged. */
    approximation: z.string().nullable(),
  }),
  /** Largest paid request body in bytes; null: the server's default (TOLLGATE_MAX_PAID_BODY_BYTES). */
  maxBodyBytes: z.number().int().nullable(),
  registration: z.object({
    enabled: z.boolean(),
    name: z.string().optional(),
    description: z.string().optional(),
    image: z.string().optional(),
    skills: z.array(z.string()),
    domains: z.array(z.string()),
    metadata: z.record(z.string(), z.string()),
    services: z.array(z.object({ name: z.string(), endpoint: z.string() })),
  }),
  isDemo: z.boolean(),
  state: z.enum(offerStates),
  drainAt: z.string().nullable(),
  drainGraceSeconds: z.number().int().nullable(),
  drainEndsAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
  generation: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  conditions: z.array(conditionViewSchema),
  /** Rules the stored offer no longer meets; it still serves (SPEC §4.3). */
  warnings: z.array(z.string()),
});
export type OfferView = z.infer<typeof offerViewSchema>;
