import { describe, expect, it } from "vitest";
import { buildIdentity } from "../testing/discovery-fixtures.ts";
import { buildOffer, sellerAddress } from "../testing/fixtures.ts";
import { computeRegisteredCondition } from "./compute-registered-condition.ts";

const enabled = buildOffer({ registration: { enabled: true } });

describe("computeRegisteredCondition", () => {
  it("maps the chain's identity to the SPEC §4.2 reasons", () => {
    expect(computeRegisteredCondition({ offer: buildOffer(), identity: null })).toMatchObject({
      status: "True",
      reason: "Disabled",
    });
    expect(computeRegisteredCondition({ offer: enabled, identity: null })).toMatchObject({
      status: "False",
      reason: "AwaitingRegistration",
    });
    expect(
      computeRegisteredCondition({
        offer: enabled,
        identity: buildIdentity({ state: "pending", agentId: null, lastTxHash: "0xabc" }),
      }),
    ).toMatchObject({ status: "False", reason: "AwaitingRegistration", message: expect.stringContaining("0xabc") });
    expect(computeRegisteredCondition({ offer: enabled, identity: buildIdentity({ agentId: "3" }) })).toMatchObject({
      status: "True",
      reason: "Registered",
      message: expect.stringContaining("agent 3 in eip155:31337:"),
    });
    expect(
      computeRegisteredCondition({
        offer: enabled,
        identity: buildIdentity({
          state: "off_chain_only",
          agentId: null,
          lastError: "no registration signer on local",
        }),
      }),
    ).toMatchObject({
      status: "True",
      reason: "OffChainOnly",
      message: expect.stringContaining("no registration signer"),
    });
    expect(
      computeRegisteredCondition({
        offer: enabled,
        identity: buildIdentity({
          state: "failed",
          agentId: null,
          attempts: 2,
          lastError: "rpc down",
          nextAttemptAt: new Date(0),
        }),
      }),
    ).toMatchObject({ status: "False", reason: "RegistrationFailed", message: expect.stringContaining("rpc down") });
  });

  it("notes a signer that is not the payee, and never refuses it", () => {
    const signer = "0x1111111111111111111111111111111111111111";
    const result = computeRegisteredCondition({ offer: enabled, identity: buildIdentity({ owner: signer }) });
    expect(result.status).toBe("True");
    expect(result.message).toContain(`registration signer ${signer}, not the payee ${sellerAddress}`);
    expect(
      computeRegisteredCondition({ offer: enabled, identity: buildIdentity({ owner: sellerAddress.toLowerCase() }) })
        .message,
    ).not.toContain("note");
  });
});
