import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminClient,
  chainReader,
  type DevnetView,
  startHoldingUpstream,
  waitFor,
} from "../recovery/testing/recovery-box.ts";
import { readReadyz, useReplicaSet } from "../testing/replica-set.ts";

// SPEC §15 acceptance 6: three replicas starting at the same moment on a fresh ledger elect one leader, and
// only its registrar mints: the seller's identity on the chain is minted once.
const cluster = useReplicaSet({ TOLLGATE_DEVNET: "on" });
let upstream: Awaited<ReturnType<typeof startHoldingUpstream>>;
beforeAll(async () => {
  upstream = await startHoldingUpstream();
});
afterAll(() => upstream?.close());

describe("exactly one registrar across replicas", () => {
  it("acceptance 6: three replicas started together mint the identity once", async () => {
    const replicas = await Promise.all(["reg-a", "reg-b", "reg-c"].map((id) => cluster.start(id)));
    const views = await Promise.all(replicas.map((r) => readReadyz(r.url)));
    expect(views.filter((v) => v?.role === "leader").length).toBe(1);
    const leaderId = views.find((v) => v?.role === "leader")?.replica;
    expect(new Set(views.map((v) => v?.leader))).toEqual(new Set([leaderId]));

    // Every replica was told to register; each sees an offer that wants an identity on `local`.
    const leader = replicas.find((r) => r.id === leaderId) ?? replicas[0];
    const follower = replicas.find((r) => r.id !== leaderId) ?? replicas[1];
    if (!leader || !follower) throw new Error("no replicas");
    const api = adminClient(follower.home, follower.url);
    await api.offers.create.mutate({
      name: "registered",
      upstream: upstream.url,
      payment: { price: "0.01" },
      registration: { enabled: true },
    } as never);
    const devnet = (await adminClient(leader.home, leader.url).devnet.info.query()) as DevnetView;
    const reader = chainReader(devnet);
    await waitFor(
      "the offer to be Registered",
      async () => (await api.offers.show.query({ name: "registered" })).conditions,
      (conditions) => conditions.some((c) => c.type === "Registered" && c.reason === "Registered"),
      90_000,
    );
    // The followers' registrars run their passes too (woken by the same conditions); give them a full pass.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await reader.mints()).length).toBe(1);
  });
});
