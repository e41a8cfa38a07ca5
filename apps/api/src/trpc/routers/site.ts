import { siteSettingsViewSchema, updateSiteSettingsInputSchema } from "@tollgate/core/site/index";
import { adminProcedure, readProcedure, router } from "../trpc.ts";

export const siteRouter = router({
  /** Public base URL (and where it comes from) and the storefront profile. */
  get: readProcedure.output(siteSettingsViewSchema).query(({ ctx }) => ctx.services.site.get()),
  /** Changes them; a new public URL re-renders the documents and updates registered agents' URIs on chain. */
  update: adminProcedure
    .input(updateSiteSettingsInputSchema)
    .output(siteSettingsViewSchema)
    .mutation(({ ctx, input }) => ctx.services.site.update({ actor: ctx.caller.actor, input })),
});
