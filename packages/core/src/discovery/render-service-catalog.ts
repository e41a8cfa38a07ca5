import type { OfferType, PriceUnit } from "../offers/offer.ts";
import {
  describeApproximation,
  formatPrice,
  isMeteredOffer,
  normalizeDecimal,
  toAtomicPerRequest,
} from "../pricing/format-price.ts";
import { toAtomicAmount } from "../pricing/to-atomic-amount.ts";
import type { DiscoveryInput } from "./discovery-input.ts";
import { toPublicUrl } from "./public-base-url.ts";
import { type ListedOffer, selectListedOffers } from "./select-listed-offers.ts";

/** One service of `/api/services.json` (SPEC §8; field names follow the reference catalog). */
export interface CatalogService {
  name: string;
  type: OfferType;
  model?: string;
  endpoint: string;
  /** Display price, e.g. `0.001 USDC/request`. */
  price: string;
  /** The price as a decimal string in token units, in `priceUnit`. */
  priceRaw: string;
  priceUnit: PriceUnit;
  /** `priceRaw` in the asset's atomic units (round half up). */
  priceAtomicUnits: string;
  /** What one request is charged, in atomic units (the 402 challenge's `amount`). */
  amountPerRequest: string;
  /** Present for `mtok` and `hour`: how the per-request charge approximates the unit. */
  priceApproximation?: string;
  payTo: string;
  network: string;
  caip2Network: string;
  chainId: number;
  asset: {
    address: string;
    symbol: string;
    decimals: number;
    transferMethod: "eip3009";
    eip712Domain: { name: string; version: string };
  };
  description: string;
  category?: string;
  skills?: string[];
  isDemo: boolean;
  /** Test money (devnet or testnet). */
  testnet: boolean;
  registrationPending?: true;
  drainEndsAt?: string;
}

/** The `/api/services.json` envelope. */
export interface ServiceCatalog {
  schemaVersion: "1";
  displayName: string;
  tagline: string;
  logoUrl: string;
  services: CatalogService[];
}

/** The default description of a service that has none. */
export function defaultServiceDescription(type: OfferType): string {
  return `x402 payment-gated ${type} service`;
}

/** One catalog entry for a listed offer. */
export function toCatalogService(item: ListedOffer, publicBaseUrl: string): CatalogService {
  const { offer, chain } = item;
  const { price, unit } = offer.payment;
  const decimals = chain.usdc.decimals;
  const approximation = describeApproximation(unit, isMeteredOffer(offer));
  const service: CatalogService = {
    name: offer.name,
    type: offer.type,
    ...(offer.model ? { model: offer.model } : {}),
    endpoint: toPublicUrl(publicBaseUrl, offer.path),
    price: formatPrice({ price, unit, symbol: chain.usdc.symbol }),
    priceRaw: normalizeDecimal(price),
    priceUnit: unit,
    priceAtomicUnits: toAtomicAmount({
      amount: price,
      decimals,
      field: "payment.price",
      excessDecimals: "round-half-up",
    }),
    amountPerRequest: toAtomicPerRequest({ price, unit, decimals }),
    ...(approximation ? { priceApproximation: approximation } : {}),
    payTo: offer.payment.payTo,
    network: chain.name,
    caip2Network: chain.caip2,
    chainId: chain.chainId,
    asset: {
      address: offer.payment.asset,
      symbol: chain.usdc.symbol,
      decimals,
      transferMethod: chain.usdc.transferMethod,
      eip712Domain: { name: chain.usdc.eip712.name, version: chain.usdc.eip712.version },
    },
    description: offer.description || defaultServiceDescription(offer.type),
    ...(offer.listing.category ? { category: offer.listing.category } : {}),
    ...(offer.registration.skills.length ? { skills: [...offer.registration.skills] } : {}),
    isDemo: offer.isDemo,
    testnet: chain.testnet,
  };
  if (item.registrationPending) service.registrationPending = true;
  if (item.drainEndsAt) service.drainEndsAt = item.drainEndsAt;
  return service;
}

/** Renders `/api/services.json`: the storefront profile and every listed offer (SPEC §8). */
export function renderServiceCatalog(input: DiscoveryInput): ServiceCatalog {
  const listed = selectListedOffers({ offers: input.offers, now: input.now });
  return { ...renderCatalogEnvelope(input), services: toCatalogServices(listed, input.publicBaseUrl) };
}

/** The catalog without its `services[]` (empty): the part that does not repeat per offer. */
export function renderCatalogEnvelope(input: Pick<DiscoveryInput, "profile" | "publicBaseUrl">): ServiceCatalog {
  return {
    schemaVersion: "1",
    displayName: input.profile.displayName,
    tagline: input.profile.tagline,
    logoUrl: toPublicUrl(input.publicBaseUrl, input.profile.logoUrl),
    services: [],
  };
}

/** Catalog entries for listed offers; an offer whose stored price no longer parses is left out, not fatal. */
export function toCatalogServices(listed: ListedOffer[], publicBaseUrl: string): CatalogService[] {
  return listed.flatMap((item) => {
    try {
      return [toCatalogService(item, publicBaseUrl)];
    } catch {
      return [];
    }
  });
}
