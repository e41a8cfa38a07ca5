// The chain layer's entry points for the server and CLI wiring.
export type { ChainLogger } from "./chain-logger.ts";
export { type ChainRuntimeHandle, createChainRuntime, facilitatorKeySecretName } from "./create-chain-runtime.ts";
export { createDevnetService, type DevnetService } from "./create-devnet-service.ts";
export { createHttpFacilitator } from "./create-http-facilitator.ts";
export { createLocalFacilitator, type LocalFacilitatorOptions } from "./create-local-facilitator.ts";
export { devnetSecretNames, devnetSettingKey } from "./devnet-setting.ts";
export { getDevnetInfo } from "./get-devnet-info.ts";
export { type Devnet, devnetPaths, type StartDevnetOptions, startDevnet } from "./start-devnet.ts";
