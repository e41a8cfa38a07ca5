import type { Env } from "../env.ts";
import type { ApiClient } from "./api-client.ts";

/** What every command gets: the parsed environment, global flags, and a lazily made API client. */
export interface CliContext {
  env: Env;
  json: boolean;
  url: string;
  client(): ApiClient;
}
