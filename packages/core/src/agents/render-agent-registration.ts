import type { Agent, AgentIdentity } from "./agent.ts";

/**
 * An agent's own ERC-8004 registration-v1 document (served at `/agents/<name>/agent-registration.json`):
 * its name, objective, the endpoints of the offers that sell it, and its identities per chain.
 */
export function renderAgentRegistration({
  agent,
  identities,
  endpoints,
}: {
  agent: Pick<Agent, "name" | "objective" | "skills" | "walletAddress">;
  identities: AgentIdentity[];
  /** Absolute endpoints of the live offers that sell the agent. */
  endpoints: { name: string; endpoint: string }[];
}) {
  return {
    type: "https://eips.ethereum.org/EIPS/eip-8004#registration-v1",
    name: agent.name,
    description: agent.objective || `${agent.name}, an agent sold through Tollgate`,
    image: "",
    services: [
      ...endpoints.map((e) => ({ name: "web", endpoint: e.endpoint })),
      { name: "agentWallet", endpoint: `eip155:${identities[0]?.chainId ?? 1}:${agent.walletAddress}` },
    ],
    skills: agent.skills,
    x402Support: true,
    active: endpoints.length > 0,
    registrations: identities
      .filter((i) => i.state === "registered" && i.tokenId !== null)
      .map((i) => ({ agentId: Number(i.tokenId), agentRegistry: `eip155:${i.chainId}:${i.registry}` })),
  };
}
