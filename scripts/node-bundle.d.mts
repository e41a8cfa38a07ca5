/** Compiles a TypeScript entry point for plain `node` (see node-bundle.mjs); resolves to the module's path. */
export function bundleScript(entry: string): Promise<string>;
