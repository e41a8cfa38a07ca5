import { z } from "zod";
import type { CatalogService } from "../discovery/render-service-catalog.ts";
import { offerStateFilters } from "../offers/offer-repository.ts";
import { offerLimits, offerTypeSchema, offerViewSchema } from "../offers/offer-schemas.ts";

/** Page sizes: the storefront shows 24 cards by default; no client gets more than 100 rows at once. */
export const offerSearchLimits = { defaultPageSize: 24, maxPageSize: 100, maxPage: 10_000, query: 200 } as const;

const searchFields = {
  /** Words that must all occur in name, description, type, model or category (case-insensitive). */
  q: z.string().trim().max(offerSearchLimits.query, `at most ${offerSearchLimits.query} characters`).default(""),
  type: offerTypeSchema.optional(),
  category: z
    .string()
    .trim()
    .min(1, "a category name")
    .max(offerLimits.shortText, `at most ${offerLimits.shortText} characters`)
    .optional(),
  page: z
    .number()
    .int("a whole page number")
    .min(1, "pages start at 1")
    .max(offerSearchLimits.maxPage, `at most ${offerSearchLimits.maxPage}`)
    .default(1),
  pageSize: z
    .number()
    .int("a whole number")
    .min(1, "at least 1")
    .max(offerSearchLimits.maxPageSize, `at most ${offerSearchLimits.maxPageSize}`)
    .default(offerSearchLimits.defaultPageSize),
};

/** `storefront.search`: one page of the public listing. */
export const storefrontSearchInputSchema = z.object(searchFields).prefault({});
export type StorefrontSearchInput = z.input<typeof storefrontSearchInputSchema>;

/** `offers.search`: one page of the admin offers table; `state` as the table's filter (default: not deleted). */
export const adminOfferSearchInputSchema = z
  .object({ ...searchFields, state: z.enum(offerStateFilters).default("live") })
  .prefault({});
export type AdminOfferSearchInput = z.input<typeof adminOfferSearchInputSchema>;

/** One entry of `/api/services.json`, as the storefront cards show it. */
export const catalogServiceSchema = z.object({
  name: z.string(),
  type: offerTypeSchema,
  model: z.string().optional(),
  endpoint: z.string(),
  price: z.string(),
  priceRaw: z.string(),
  priceUnit: z.enum(["request", "mtok", "hour"]),
  priceAtomicUnits: z.string(),
  amountPerRequest: z.string(),
  priceApproximation: z.string().optional(),
  payTo: z.string(),
  network: z.string(),
  caip2Network: z.string(),
  chainId: z.number().int(),
  asset: z.object({
    address: z.string(),
    symbol: z.string(),
    decimals: z.number().int(),
    transferMethod: z.literal("eip3009"),
    eip712Domain: z.object({ name: z.string(), version: z.string() }),
  }),
  description: z.string(),
  category: z.string().optional(),
  skills: z.array(z.string()).optional(),
  isDemo: z.boolean(),
  testnet: z.boolean(),
  registrationPending: z.literal(true).optional(),
  drainEndsAt: z.string().optional(),
});
/** Compile-time check: every entry the catalog renderer produces passes `catalogServiceSchema`. */
export const catalogServiceFitsSchema: CatalogService extends z.input<typeof catalogServiceSchema> ? true : false =
  true;

const facetsSchema = z.object({
  /** Offers in the scope before words, type and category narrow it. */
  total: z.number().int(),
  types: z.array(z.object({ type: offerTypeSchema, count: z.number().int() })),
  categories: z.array(z.object({ category: z.string(), count: z.number().int() })),
});

const pageFields = {
  page: z.number().int(),
  pageSize: z.number().int(),
  /** At least 1, so "page 1 of 1" reads right when nothing matches. */
  pageCount: z.number().int(),
  /** Offers matching every filter, over all pages. */
  total: z.number().int(),
  facets: facetsSchema,
};

/** A page of the public storefront with the seller's profile. */
export const storefrontPageSchema = z.object({
  profile: z.object({ displayName: z.string(), tagline: z.string(), logoUrl: z.string() }),
  services: z.array(catalogServiceSchema),
  ...pageFields,
});
export type StorefrontPage = z.infer<typeof storefrontPageSchema>;

/** A page of the admin offers table. */
export const adminOfferPageSchema = z.object({ offers: z.array(offerViewSchema), ...pageFields });
export type AdminOfferPage = z.infer<typeof adminOfferPageSchema>;
