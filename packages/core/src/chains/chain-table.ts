import type { Address } from "viem";

/** The chains Tollgate knows. `local` is the embedded devnet. */
export const chainNames = ["local", "base-sepolia", "base", "ethereum"] as const;
export type ChainName = (typeof chainNames)[number];

/** A CAIP-2 id for an EVM chain, e.g. `eip155:8453`. */
export type Caip2Id = `eip155:${number}`;

/** The stablecoin a chain's offers are priced in. */
export interface ChainAsset {
  /** Token contract; null on the devnet, where it is deployed at first start. */
  address: Address | null;
  symbol: string;
  decimals: number;
  /** The token's EIP-712 domain, which x402 puts in `extra` and the buyer signs against. */
  eip712: { name: string; version: string };
  transferMethod: "eip3009";
}

/** One row of the built-in chain table (SPEC §6). */
export interface ChainDefinition {
  name: ChainName;
  displayName: string;
  caip2: Caip2Id;
  chainId: number;
  /** Test money: shown, never counted in revenue totals. */
  testnet: boolean;
  /** The embedded anvil chain: addresses come from the devnet, not from this table. */
  devnet: boolean;
  usdc: ChainAsset;
  /** ERC-8004 IdentityRegistry; null on the devnet until it is deployed. */
  identityRegistry: Address | null;
  /** Block explorer base URL, without a trailing slash; null when there is none. */
  explorerUrl: string | null;
}

const ERC8004_MAINNET_IDENTITY_REGISTRY: Address = "0x8004A169FB4a3325136EB29fA0ceB6D2e539a432";
const ERC8004_TESTNET_IDENTITY_REGISTRY: Address = "0x8004A818BFB912233c491871b3d84c89A494BD9e";

/** The built-in chain table, in display order. */
export const chainTable: readonly ChainDefinition[] = [
  {
    name: "local",
    displayName: "Local devnet",
    caip2: "eip155:31337",
    chainId: 31337,
    testnet: true,
    devnet: true,
    usdc: {
      address: null,
      symbol: "USDC",
      decimals: 6,
      eip712: { name: "USDC", version: "2" },
      transferMethod: "eip3009",
    },
    identityRegistry: null,
    explorerUrl: null,
  },
  {
    name: "base-sepolia",
    displayName: "Base Sepolia",
    caip2: "eip155:84532",
    chainId: 84532,
    testnet: true,
    devnet: false,
    usdc: {
      address: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
      symbol: "USDC",
      decimals: 6,
      eip712: { name: "USDC", version: "2" },
      transferMethod: "eip3009",
    },
    identityRegistry: ERC8004_TESTNET_IDENTITY_REGISTRY,
    explorerUrl: "https://sepolia.basescan.org",
  },
  {
    name: "base",
    displayName: "Base",
    caip2: "eip155:8453",
    chainId: 8453,
    testnet: false,
    devnet: false,
    usdc: {
      address: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
      symbol: "USDC",
      decimals: 6,
      eip712: { name: "USD Coin", version: "2" },
      transferMethod: "eip3009",
    },
    identityRegistry: ERC8004_MAINNET_IDENTITY_REGISTRY,
    explorerUrl: "https://basescan.org",
  },
  {
    name: "ethereum",
    displayName: "Ethereum",
    caip2: "eip155:1",
    chainId: 1,
    testnet: false,
    devnet: false,
    usdc: {
      address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48",
      symbol: "USDC",
      decimals: 6,
      eip712: { name: "USD Coin", version: "2" },
      transferMethod: "eip3009",
    },
    identityRegistry: ERC8004_MAINNET_IDENTITY_REGISTRY,
    explorerUrl: "https://etherscan.io",
  },
];
