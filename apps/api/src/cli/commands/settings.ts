import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { printResult } from "../output.ts";
import { setGatewaySetting } from "./cluster.ts";

const keys = {
  "public-url": "publicBaseUrl",
  "display-name": "displayName",
  tagline: "tagline",
  "logo-url": "logoUrl",
} as const;

/** `tollgate settings show` and `tollgate settings set public-url|display-name|tagline|logo-url VALUE`. */
export function registerSettings(program: Command, getContext: () => CliContext): void {
  const settings = program.command("settings").description("public base URL and storefront profile");
  const render = (s: {
    publicBaseUrl: string;
    publicBaseUrlSource: string;
    defaultPublicBaseUrl: string;
    profile: { displayName: string; tagline: string; logoUrl: string };
  }) =>
    [
      `public-url    ${s.publicBaseUrl}${s.publicBaseUrlSource === "default" ? " (default)" : ` (default ${s.defaultPublicBaseUrl})`}`,
      `display-name  ${s.profile.displayName}`,
      `tagline       ${s.profile.tagline}`,
      `logo-url      ${s.profile.logoUrl}`,
    ].join("\n");

  settings
    .command("show")
    .description("show the public base URL and the storefront profile")
    .action(async () => {
      const ctx = getContext();
      const value = await ctx.client().site.get.query();
      printResult(ctx.json, value, () => render(value));
    });

  settings
    .command("set <key> <value>")
    .description(
      "set public-url (e.g. https://seller.example; `default` resets it), display-name, tagline, logo-url, or gateway <ns>/<name> (kubernetes driver)",
    )
    .action(async (key: string, value: string) => {
      if (key === "gateway") return setGatewaySetting(getContext(), value);
      const field = keys[key as keyof typeof keys];
      if (!field) {
        throw new CliError(
          `unknown setting "${key}" (use ${[...Object.keys(keys), "gateway"].join(", ")})`,
          exitCodes.usage,
          {
            code: "USAGE",
          },
        );
      }
      const ctx = getContext();
      const input =
        field === "publicBaseUrl" ? { publicBaseUrl: value === "default" ? null : value } : { [field]: value };
      const updated = await ctx.client().site.update.mutate(input);
      printResult(ctx.json, updated, () => render(updated));
    });
}
