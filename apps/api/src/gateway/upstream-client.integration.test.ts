import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
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

describe("createUpstreamClient with a pooled socket the upstream closed", () => {
  it("sends a request without a body again on a fresh socket instead of failing; a body is not replayed", async () => {
    // An upstream whose keep-alive timer fires just as the gateway reuses the socket: the second request on
    // any connection finds it closed, with no answer (what a loaded box turned into 502s in bench:replicas).
    const seen = new WeakMap<object, number>();
    const closing = createServer((req, res) => {
      const n = (seen.get(req.socket) ?? 0) + 1;
      seen.set(req.socket, n);
      if (n > 1) return void req.socket.destroy();
      req.resume();
      res.end(`answered ${req.method}`);
    });
    await new Promise<void>((resolve) => closing.listen(0, "127.0.0.1", () => resolve()));
    const url = new URL(`http://127.0.0.1:${(closing.address() as AddressInfo).port}/`);
    const client = createUpstreamClient();
    const text = async (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString();
    };
    try {
      for (let i = 0; i < 3; i++) {
        const res = await client.request({ url, method: "GET", headers: {}, body: null });
        expect(res.statusCode).toBe(200);
        expect(await text(res)).toBe("answered GET");
      }
      await expect(
        client.request({ url, method: "POST", headers: {}, body: Readable.from([Buffer.from("{}")]) }),
      ).rejects.toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) });
    } finally {
      client.close();
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    }
  });
});
