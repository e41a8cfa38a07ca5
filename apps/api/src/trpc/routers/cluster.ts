import { z } from "zod";
import { clusterStatusSchema, setGatewayInputSchema } from "../../drivers/kubernetes/create-cluster-service.ts";
import { adminProcedure, readProcedure, router } from "../trpc.ts";

export const clusterRouter = router({
  /** The kubernetes driver: API server reachability, CRD, drift repairs (`driver: "local"` otherwise). */
  status: readProcedure
    .input(z.void())
    .output(clusterStatusSchema)
    .query(({ ctx }) => ctx.services.cluster.status()),
  /** The parent Gateway of every HTTPRoute (`<namespace>/<name>`, or null). */
  setGateway: adminProcedure
    .input(setGatewayInputSchema)
    .output(clusterStatusSchema)
    .mutation(({ ctx, input }) => ctx.services.cluster.setGateway(input)),
});
