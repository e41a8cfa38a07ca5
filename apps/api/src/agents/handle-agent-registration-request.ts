import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Agent,
  type AgentIdentityRepository,
  type OfferWithConditions,
  renderAgentRegistration,
} from "@tollgate/core";
import { sendJson } from "../http/send.ts";

const pattern = /^\/agents\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\/agent-registration\.json$/;

/** Serves each agent's own registration document (public, like `/.well-known/agent-registration.json`). */
export function createAgentRegistrationHandler({
  findAgent,
  identities,
  offers,
  getPublicBaseUrl,
}: {
  findAgent: (name: string) => Promise<Agent | null>;
  identities: Pick<AgentIdentityRepository, "list">;
  offers: { list(): Promise<OfferWithConditions[]> };
  getPublicBaseUrl: () => Promise<string>;
}) {
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    const name = pattern.exec(pathname)?.[1];
    if (!name) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(res, 405, { code: "METHOD_NOT_ALLOWED", message: "Use GET" });
      return true;
    }
    const agent = await findAgent(name);
    if (!agent) {
      sendJson(res, 404, { code: "NOT_FOUND", message: `No agent named "${name}"` });
      return true;
    }
    const base = (await getPublicBaseUrl()).replace(/\/+$/, "");
    const endpoints = (await offers.list())
      .filter(({ offer }) => offer.agentId === agent.id && offer.state === "active")
      .map(({ offer }) => ({ name: offer.name, endpoint: `${base}${offer.path}` }));
    const mine = (await identities.list()).filter((i) => i.agentId === agent.id);
    sendJson(res, 200, renderAgentRegistration({ agent, identities: mine, endpoints }));
    return true;
  };
}
