export * from "./build-inference-requirements.ts";
export * from "./chat-request.ts";
export * from "./price-tokens.ts";
export * from "./token-usage.ts";
