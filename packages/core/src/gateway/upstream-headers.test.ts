import { describe, expect, it } from "vitest";
import { buildClientResponseHeaders, buildUpstreamRequestHeaders } from "./upstream-headers.ts";

describe("buildUpstreamRequestHeaders", () => {
  it("strips payment, credentials, hop-by-hop and Connection-named headers; adds the payer", () => {
    const out = buildUpstreamRequestHeaders({
      headers: {
        host: "tollgate.example",
        "payment-signature": "sig",
        "x-payment": "v1",
        authorization: "Bearer admin",
        cookie: "tollgate_session=1",
        connection: "keep-alive, x-secret-hop",
        "x-secret-hop": "1",
        "keep-alive": "timeout=5",
        "transfer-encoding": "chunked",
        "x-payment-payer": "0xSpoofed",
        "content-type": "application/json",
        "x-forwarded-for": "10.0.0.1",
      },
      payer: "0xBuyer",
      forwardedFor: "127.0.0.1",
      forwardedProto: "https",
      forwardedHost: "tollgate.example",
    });
    expect(out).toEqual({
      "content-type": "application/json",
      "x-payment-payer": "0xBuyer",
      "x-forwarded-for": "10.0.0.1, 127.0.0.1",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "tollgate.example",
    });
  });

  it("injects the offer's upstream credentials", () => {
    const out = buildUpstreamRequestHeaders({
      headers: { authorization: "Bearer buyer" },
      payer: "0xB",
      forwardedProto: "http",
      credentials: { Authorization: "Bearer upstream-key" },
    });
    expect(out.authorization).toBe("Bearer upstream-key");
  });
});

describe("buildClientResponseHeaders", () => {
  it("drops hop-by-hop headers and cookies the upstream tries to set on Tollgate's origin", () => {
    expect(
      buildClientResponseHeaders({
        "content-type": "text/plain",
        "set-cookie": ["a=1"],
        connection: "close",
        "transfer-encoding": "chunked",
      }),
    ).toEqual({ "content-type": "text/plain" });
  });
});
