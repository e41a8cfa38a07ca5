// The one place the web benchmark reads the environment: what the child server inherits.
export const inheritedEnv: Record<string, string | undefined> = { ...process.env };
