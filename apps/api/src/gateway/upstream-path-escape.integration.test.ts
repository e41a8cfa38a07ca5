// A paying buyer may not leave the offer's upstream base path: a generated corpus of traversal paths
// (encodings, separators, dot segments) against a paid route whose upstream base is `/base`, on the devnet.
import { request } from "node:http";
import { encodeBase64Json } from "@tollgate/core/gateway/index";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayFixture, startGatewayFixture } from "./testing/start-gateway-fixture.ts";

let f: GatewayFixture;

beforeAll(async () => {
  f = await startGatewayFixture();
}, 120_000);

afterAll(async () => {
  await f?.close();
});

/** Sends the request target exactly as written (fetch would resolve dot segments before sending). */
function rawGet(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const url = new URL(f.origin);
      const req = request({ host: url.hostname, port: url.port, path, method: "GET", headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    },
  );
}

/** The path a lenient upstream would serve: one round of decoding, `\` read as `/`, dot segments resolved. */
function servedPath(raw: string): string {
  let decoded = raw.split("?")[0] ?? raw;
  try {
    decoded = decodeURIComponent(decoded);
  } catch {}
  const stack: string[] = [];
  for (const segment of decoded.replace(/\\/g, "/").split("/").slice(1)) {
    if (segment === "..") stack.pop();
    else if (segment !== ".") stack.push(segment);
  }
  return `/${stack.join("/")}`;
}

function traversalCorpus(): string[] {
  const dots = ["..", ".", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%2E.", "%252e%252e", "..;", "%2e%2e%00"];
  const separators = ["/", "\\", "%2f", "%2F", "%5c", "%5C", "%252f", "//"];
  const tails = ["trpc/tokens.list", "etc/passwd", "y"];
  const prefixes = ["", "a/"];
  const corpus = new Set<string>();
  for (const prefix of prefixes)
    for (const dot of dots)
      for (const separator of separators)
        for (const depth of [1, 2, 3])
          for (const tail of tails) corpus.add(`/services/based/${prefix}${`${dot}${separator}`.repeat(depth)}${tail}`);
  return [...corpus];
}

describe("upstream path escape", () => {
  it("refuses the reproduction's paths with 400 invalid_path before any payment", async () => {
    for (const path of ["/services/based/%2E%2E/%2E%2E/trpc/tokens.list", "/services/based/..\\..\\y"]) {
      const res = await rawGet(path);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ reason: "invalid_path" });
    }
  });

  it("a paid corpus of 500+ traversal paths never reaches the upstream outside /base", async () => {
    const corpus = traversalCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    const firstCall = f.upstream.log.calls.length;
    const refused: string[] = [];
    const served: string[] = [];
    const queue = [...corpus];
    const worker = async () => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        const unpaid = await rawGet(path);
        if (unpaid.status === 400) {
          refused.push(path);
          continue;
        }
        expect(unpaid.status, path).toBe(402);
        const requirements = decodePaymentRequiredHeader(String(unpaid.headers["payment-required"]));
        const payload = await f.buyerClient.createPaymentPayload(requirements);
        const paid = await rawGet(path, { "payment-signature": encodeBase64Json(payload) });
        expect(paid.status, path).toBe(200);
        served.push(path);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    const calls = f.upstream.log.calls.slice(firstCall);
    console.log(
      `traversal corpus: ${corpus.length} paths, ${refused.length} refused (400), ${served.length} paid and served`,
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThan(0);
    expect(calls.length).toBe(served.length);
    for (const call of calls) {
      const path = servedPath(call.path);
      expect(path === "/base" || path.startsWith("/base/"), call.path).toBe(true);
    }
  }, 600_000);
});
