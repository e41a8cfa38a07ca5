/** The public machine-readable documents every Tollgate serves (SPEC §8), linked from every page. */
export const discoveryDocuments = [
  {
    href: "/api/services.json",
    title: "Service catalog",
    description: "Every offer with its endpoint, price, chain and asset, as JSON.",
  },
  {
    href: "/skill.md",
    title: "Agent skill",
    description: "Markdown for agents: what is for sale and how to pay for it with x402.",
  },
  {
    href: "/.well-known/agent-registration.json",
    title: "Agent registration",
    description: "The seller's ERC-8004 registration document.",
  },
] as const;
