export * from "./agent.ts";
export * from "./agent-repository.ts";
export * from "./agent-schemas.ts";
export * from "./create-agents-service.ts";
export * from "./build-agent-chat-request.ts";
export * from "./spend-policy.ts";
export * from "./agent-identity-repository.ts";
export * from "./render-agent-registration.ts";
