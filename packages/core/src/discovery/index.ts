export * from "./discovery-input.ts";
export * from "./public-base-url.ts";
export * from "./render-agent-registration.ts";
export * from "./render-service-catalog.ts";
export * from "./render-skill-markdown.ts";
export * from "./select-listed-offers.ts";
export * from "./storefront-profile.ts";
export * from "./render-document-segments.ts";
