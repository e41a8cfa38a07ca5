import {
  type Address,
  createWalletClient,
  decodeEventLog,
  type Hex,
  http,
  type PrivateKeyAccount,
  publicActions,
  stringToHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { identityRegistryArtifact } from "../../../../contracts/artifacts/index.ts";
import { devnetChain } from "./devnet-chain.ts";
import type { Devnet } from "./start-devnet.ts";
import { startTestDevnet } from "./testing/start-test-devnet.ts";

const abi = identityRegistryArtifact.abi;
let devnet: Devnet;
let cleanup: () => Promise<void>;

function walletFor(account: PrivateKeyAccount) {
  return createWalletClient({ account, chain: devnetChain(devnet.rpcUrl), transport: http(devnet.rpcUrl) }).extend(
    publicActions,
  );
}

const seller = () => walletFor(privateKeyToAccount(devnet.accounts.seller.privateKey));
const buyer = () => walletFor(privateKeyToAccount(devnet.accounts.buyer.privateKey));

/** Registers an agent from the seller and reads its id from the Registered event. */
async function register(uri: string): Promise<bigint> {
  const wallet = seller();
  const hash = await wallet.writeContract({
    address: devnet.identityRegistry,
    abi,
    functionName: "register",
    args: [uri],
  });
  const receipt = await wallet.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== devnet.identityRegistry.toLowerCase()) continue;
    const event = decodeEventLog({ abi, data: log.data, topics: log.topics, strict: false });
    if (event.eventName === "Registered") {
      expect(event.args).toMatchObject({ agentURI: uri, owner: devnet.accounts.seller.address });
      return event.args.agentId as bigint;
    }
  }
  throw new Error("no Registered event");
}

async function signAgentWallet(
  newWallet: PrivateKeyAccount,
  agentId: bigint,
  owner: Address,
  deadline: bigint,
  verifyingContract: Address = devnet.identityRegistry,
): Promise<Hex> {
  return newWallet.signTypedData({
    domain: { name: "ERC8004IdentityRegistry", version: "1", chainId: devnet.chainId, verifyingContract },
    types: {
      AgentWalletSet: [
        { name: "agentId", type: "uint256" },
        { name: "newWallet", type: "address" },
        { name: "owner", type: "address" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "AgentWalletSet",
    message: { agentId, newWallet: newWallet.address, owner, deadline },
  });
}

async function chainTime(): Promise<bigint> {
  return (await seller().getBlock()).timestamp;
}

beforeAll(async () => {
  ({ devnet, cleanup } = await startTestDevnet());
}, 60_000);

afterAll(async () => {
  await cleanup?.();
});

describe("IdentityRegistry (ERC-8004) on the devnet", () => {
  it("register(uri) yields the agent id from the Registered event, and tokenURI returns the uri", async () => {
    const uri = "http://127.0.0.1:8402/.well-known/agent-registration.json";
    const first = await register(uri);
    const second = await register(`${uri}?v=2`);
    expect(second).toBe(first + 1n);
    const wallet = seller();
    expect(
      await wallet.readContract({ address: devnet.identityRegistry, abi, functionName: "tokenURI", args: [first] }),
    ).toBe(uri);
    expect(
      await wallet.readContract({ address: devnet.identityRegistry, abi, functionName: "ownerOf", args: [first] }),
    ).toBe(devnet.accounts.seller.address);
    // The registering account is the initial agent wallet.
    expect(
      await wallet.readContract({
        address: devnet.identityRegistry,
        abi,
        functionName: "getAgentWallet",
        args: [first],
      }),
    ).toBe(devnet.accounts.seller.address);
  });

  it("setAgentURI works for the owner and reverts for another account", async () => {
    const agentId = await register("https://old.example/agent.json");
    const wallet = seller();
    const hash = await wallet.writeContract({
      address: devnet.identityRegistry,
      abi,
      functionName: "setAgentURI",
      args: [agentId, "https://new.example/agent.json"],
    });
    const receipt = await wallet.waitForTransactionReceipt({ hash });
    const updated = receipt.logs
      .map((log) => decodeEventLog({ abi, data: log.data, topics: log.topics, strict: false }))
      .find((event) => event.eventName === "URIUpdated");
    expect(updated?.args).toMatchObject({ agentId, newURI: "https://new.example/agent.json" });
    expect(
      await wallet.readContract({ address: devnet.identityRegistry, abi, functionName: "tokenURI", args: [agentId] }),
    ).toBe("https://new.example/agent.json");

    await expect(
      buyer().simulateContract({
        address: devnet.identityRegistry,
        abi,
        functionName: "setAgentURI",
        args: [agentId, "https://evil.example/agent.json"],
      }),
    ).rejects.toThrow(/Not authorized/);
  });

  it("setMetadata stores values but refuses the reserved agentWallet key", async () => {
    const agentId = await register("https://example.com/agent.json");
    const wallet = seller();
    const hash = await wallet.writeContract({
      address: devnet.identityRegistry,
      abi,
      functionName: "setMetadata",
      args: [agentId, "category", stringToHex("inference")],
    });
    await wallet.waitForTransactionReceipt({ hash });
    expect(
      await wallet.readContract({
        address: devnet.identityRegistry,
        abi,
        functionName: "getMetadata",
        args: [agentId, "category"],
      }),
    ).toBe(stringToHex("inference"));
    await expect(
      wallet.simulateContract({
        address: devnet.identityRegistry,
        abi,
        functionName: "setMetadata",
        args: [agentId, "agentWallet", "0x01"],
      }),
    ).rejects.toThrow(/reserved key/);
  });

  it("setAgentWallet accepts a valid signature from the new wallet and refuses expired or wrong ones", async () => {
    const agentId = await register("https://example.com/agent.json");
    const owner = devnet.accounts.seller.address;
    const newWallet = privateKeyToAccount(generatePrivateKey());
    const stranger = privateKeyToAccount(generatePrivateKey());
    const wallet = seller();
    const now = await chainTime();
    const simulate = (address: Address, deadline: bigint, signature: Hex) =>
      wallet.simulateContract({
        address: devnet.identityRegistry,
        abi,
        functionName: "setAgentWallet",
        args: [agentId, address, deadline, signature],
      });

    // Expired deadline.
    const expired = now - 1n;
    await expect(
      simulate(newWallet.address, expired, await signAgentWallet(newWallet, agentId, owner, expired)),
    ).rejects.toThrow(/expired/);
    // Deadline more than 5 minutes ahead.
    const tooFar = now + 3600n;
    await expect(
      simulate(newWallet.address, tooFar, await signAgentWallet(newWallet, agentId, owner, tooFar)),
    ).rejects.toThrow(/deadline too far/);
    const deadline = now + 240n;
    // Signed by someone other than the new wallet.
    await expect(
      simulate(newWallet.address, deadline, await signAgentWallet(stranger, agentId, owner, deadline)),
    ).rejects.toThrow(/invalid wallet sig/);
    // Signed for another registry (wrong domain).
    await expect(
      simulate(newWallet.address, deadline, await signAgentWallet(newWallet, agentId, owner, deadline, devnet.usdc)),
    ).rejects.toThrow(/invalid wallet sig/);
    // Sent by someone who does not own the agent.
    await expect(
      buyer().simulateContract({
        address: devnet.identityRegistry,
        abi,
        functionName: "setAgentWallet",
        args: [agentId, newWallet.address, deadline, await signAgentWallet(newWallet, agentId, owner, deadline)],
      }),
    ).rejects.toThrow(/Not authorized/);

    const hash = await wallet.writeContract({
      address: devnet.identityRegistry,
      abi,
      functionName: "setAgentWallet",
      args: [agentId, newWallet.address, deadline, await signAgentWallet(newWallet, agentId, owner, deadline)],
    });
    expect((await wallet.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect(
      await wallet.readContract({
        address: devnet.identityRegistry,
        abi,
        functionName: "getAgentWallet",
        args: [agentId],
      }),
    ).toBe(newWallet.address);
    expect(
      await wallet.readContract({
        address: devnet.identityRegistry,
        abi,
        functionName: "getMetadata",
        args: [agentId, "agentWallet"],
      }),
    ).toBe(newWallet.address.toLowerCase());
  });

  it("transferring an agent clears its verified wallet", async () => {
    const agentId = await register("https://example.com/agent.json");
    const wallet = seller();
    const hash = await wallet.writeContract({
      address: devnet.identityRegistry,
      abi,
      functionName: "transferFrom",
      args: [devnet.accounts.seller.address, devnet.accounts.buyer.address, agentId],
    });
    await wallet.waitForTransactionReceipt({ hash });
    expect(
      await wallet.readContract({ address: devnet.identityRegistry, abi, functionName: "ownerOf", args: [agentId] }),
    ).toBe(devnet.accounts.buyer.address);
    expect(
      await wallet.readContract({
        address: devnet.identityRegistry,
        abi,
        functionName: "getAgentWallet",
        args: [agentId],
      }),
    ).toBe("0x0000000000000000000000000000000000000000");
  });
});
