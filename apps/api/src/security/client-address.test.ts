import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { createClientAddressResolver, parseProxyEntry } from "./client-address.ts";

function request(peer: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  } as unknown as IncomingMessage;
}

describe("createClientAddressResolver", () => {
  it("ignores X-Forwarded-For when no proxy is trusted, or from a peer that is not one", () => {
    expect(createClientAddressResolver([])(request("203.0.113.9", "1.1.1.1"))).toBe("203.0.113.9");
    expect(createClientAddressResolver(["10.0.0.1"])(request("203.0.113.9", "1.1.1.1"))).toBe("203.0.113.9");
  });

  it("reads X-Forwarded-For from the right behind trusted proxies, so a forged left part is not believed", () => {
    const resolve = createClientAddressResolver(["127.0.0.1", "10.0.0.0/8"]);
    expect(resolve(request("::ffff:127.0.0.1", "198.51.100.4"))).toBe("198.51.100.4");
    expect(resolve(request("127.0.0.1", "6.6.6.6, 198.51.100.4, 10.1.2.3"))).toBe("198.51.100.4");
    expect(resolve(request("127.0.0.1"))).toBe("127.0.0.1");
    expect(resolve(request("127.0.0.1", "not-an-ip"))).toBe("127.0.0.1");
  });

  it("names what is wrong with a proxy entry", () => {
    expect(parseProxyEntry("10.0.0.0/33")).toMatchObject({ ok: false, message: expect.stringMatching(/prefix/) });
    expect(parseProxyEntry("proxy.local")).toMatchObject({ ok: false });
    expect(parseProxyEntry("fd00::/8")).toMatchObject({ ok: true, family: "ipv6", prefix: 8 });
  });
});
