export * from "./chain-setting.ts";
export * from "./chain-status.ts";
export * from "./chain-table.ts";
export * from "./devnet-info.ts";
export * from "./explorer-links.ts";
export * from "./find-chain.ts";
export * from "./resolve-chain.ts";
export * from "./create-chains-service.ts";
