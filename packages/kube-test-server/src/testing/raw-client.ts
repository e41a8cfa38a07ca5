import { request } from "node:https";

export type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A plain HTTPS client for asserting exact status codes and bodies of the test server. */
export const createRawClient = (options: { url: string; token: string | undefined; ca: string }) => {
  const send = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, options.url);
      const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
      const req = request(
        url,
        {
          method,
          ca: options.ca,
          headers: {
            ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
            ...(payload !== undefined ? { "Content-Type": "application/json" } : {}),
            ...headers,
          },
        },
        (res) => {
          let text = "";
          res.on("data", (d: Buffer) => {
            text += d.toString();
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  return {
    send,
    json: async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      const res = await send(method, path, body, headers);
      return { status: res.status, headers: res.headers, body: JSON.parse(res.body) as Record<string, unknown> };
    },
  };
};
