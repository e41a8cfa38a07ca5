import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Facilitator } from "@tollgate/core/facilitator/index";

/**
 * Serves a facilitator over the x402 facilitator HTTP API (GET /supported, POST /verify and /settle with
 * `{x402Version, paymentPayload, paymentRequirements}`), as a remote facilitator would (tests only).
 */
export async function serveFacilitatorOverHttp(
  facilitator: Facilitator,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    try {
      if (request.method === "GET" && request.url === "/supported") return send(200, await facilitator.getSupported());
      if (request.method === "POST" && (request.url === "/verify" || request.url === "/settle")) {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        const result =
          request.url === "/verify"
            ? await facilitator.verify(body.paymentPayload, body.paymentRequirements)
            : await facilitator.settle(body.paymentPayload, body.paymentRequirements);
        return send(200, result);
      }
      send(404, { error: "not found" });
    } catch (error) {
      send(500, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
