import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import type { ApiTokenRepository } from "@tollgate/db";
import type { HomePaths } from "../home/data-home.ts";

/**
 * Makes sure `<home>/admin-token` holds a live owner token. Returns the new token when one was made
 * (to print once), or null when the file already held a valid one.
 */
export async function ensureOwnerToken(options: {
  paths: HomePaths;
  tokens: ApiTokenRepository;
}): Promise<string | null> {
  const { paths, tokens } = options;
  if (existsSync(paths.adminToken)) {
    const current = readFileSync(paths.adminToken, "utf8").trim();
    if (current && (await tokens.findActive(current))) return null;
  }
  // Replicas starting together each make one: a name another took meanwhile is retried with the next free one.
  let token = "";
  for (let attempt = 0; !token; attempt++) {
    const existing = new Set((await tokens.list()).map((t) => t.name));
    let name = "owner";
    for (let i = 2; existing.has(name); i++) name = `owner-${i}`;
    try {
      token = (await tokens.create({ name, scope: "admin" })).token;
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
  writeFileSync(paths.adminToken, `${token}\n`, { mode: 0o600 });
  chmodSync(paths.adminToken, 0o600);
  return token;
}
