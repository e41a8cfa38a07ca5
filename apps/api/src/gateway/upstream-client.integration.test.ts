import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUpstreamClient } from "./upstream-client.ts";

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("createUpstreamClient with the server's own ports", () => {
  it("refuses to connect when a host name resolves to one of them; other ports connect", async () => {
    const ownEndpoints = { endpoints: [{ host: "127.0.0.1", port, label: "Tollgate itself" }] };
    const guarded = createUpstreamClient({ ownEndpoints });
    await expect(
      guarded.request({ url: new URL(`http://localhost:${port}/`), method: "GET", headers: {}, body: null }),
    ).rejects.toMatchObject({ code: "EOWNENDPOINT", message: expect.stringMatching(/Tollgate itself/) });
    guarded.close();

    const elsewhere = createUpstreamClient({
      ownEndpoints: { endpoints: [{ host: "127.0.0.1", port: port + 1, label: "Tollgate itself" }] },
    });
    const res = await elsewhere.request({
      url: new URL(`http://localhost:${port}/`),
      method: "GET",
      headers: {},
      body: null,
    });
    expect(res.statusCode).toBe(200);
    res.resume();
    elsewhere.close();
  });
});
