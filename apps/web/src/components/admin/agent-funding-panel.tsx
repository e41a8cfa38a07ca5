import type { AgentView } from "@tollgate/core/agents/agent-schemas";
import { AddressQr } from "./address-qr.tsx";

/**
 * How to fund an agent on a real chain: for each chain it sells or may pay on, a QR code of the EIP-681 URI
 * (`ethereum:<address>@<chainId>`) a wallet app opens with the address and the chain filled in.
 */
export function AgentFundingPanel({ agent }: { agent: Pick<AgentView, "name" | "walletAddress" | "fundingChains"> }) {
  if (agent.fundingChains.length === 0) {
    return (
      <div className="flex flex-wrap items-start gap-3">
        <AddressQr text={agent.walletAddress} label={`QR code of ${agent.name}'s address`} />
        <p className="max-w-sm text-slate-700">
          To fund it on a real chain, send USDC and a little gas to{" "}
          <span className="font-mono text-xs">{agent.walletAddress}</span> (scan the code from a wallet). Sell it on a
          chain, or allow a network in its spend policy, and the code names the chain too.
        </p>
      </div>
    );
  }
  return (
    <ul aria-label={`Fund ${agent.name}`} className="flex flex-wrap gap-4">
      {agent.fundingChains.map((funding) => (
        <li key={funding.chainId} className="flex max-w-xs flex-col items-start gap-1">
          <AddressQr text={funding.uri} label={`QR code to fund ${agent.name} on ${funding.chain}`} />
          <p className="text-slate-700">
            Send USDC and a little gas on <strong>{funding.chain}</strong> (chain id {funding.chainId}) to{" "}
            <span className="break-all font-mono text-xs">{agent.walletAddress}</span>.
          </p>
        </li>
      ))}
    </ul>
  );
}
