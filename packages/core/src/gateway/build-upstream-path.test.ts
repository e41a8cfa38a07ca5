import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildUpstreamPath } from "./build-upstream-path.ts";

/**
 * The path a lenient upstream would serve for what the gateway sends: the URL setter's encoding on the
 * wire, then one round of percent-decoding, backslashes read as slashes, and dot segments resolved.
 */
function servedByUpstream(path: string): string {
  const url = new URL("http://upstream.test/");
  url.pathname = path;
  let decoded = url.pathname;
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

function staysUnder(base: string, path: string): boolean {
  const served = servedByUpstream(path);
  return served === base || served.startsWith(`${base}/`);
}

describe("buildUpstreamPath", () => {
  it("appends an ordinary rest to the base path", () => {
    expect(buildUpstreamPath({ basePath: "/base", rest: "/v1/chat/completions" })).toEqual({
      ok: true,
      path: "/base/v1/chat/completions",
    });
    expect(buildUpstreamPath({ basePath: "/", rest: "" })).toEqual({ ok: true, path: "/" });
    expect(buildUpstreamPath({ basePath: "/base/", rest: "" })).toEqual({ ok: true, path: "/base" });
    expect(buildUpstreamPath({ basePath: "", rest: "/a%20b" })).toEqual({ ok: true, path: "/a%20b" });
  });

  it("resolves dot segments that stay inside the base", () => {
    expect(buildUpstreamPath({ basePath: "/base", rest: "/a/../b" })).toEqual({ ok: true, path: "/base/b" });
    expect(buildUpstreamPath({ basePath: "/base", rest: "/a/./b/.." })).toEqual({ ok: true, path: "/base/a/" });
  });

  it.each([
    "/../x",
    "/a/../../x",
    "/%2E%2E/%2E%2E/trpc/tokens.list",
    "/%2e%2e/y",
    "/.%2e/y",
    "/%252e%252e/y",
    "/..%2fy",
    "/a%2F..%2F..%2Fy",
    "/..\\..\\y",
    "/%5c..%5cy",
    "/a/%00",
    "/%e0%a4%a",
  ])("refuses %s", (rest) => {
    const result = buildUpstreamPath({ basePath: "/base", rest });
    expect(result.ok).toBe(false);
  });

  it("never builds a path that resolves outside the base (10,000 generated paths)", () => {
    const piece = fc.constantFrom(
      ".",
      "..",
      "%2e",
      "%2E",
      "%2e%2e",
      ".%2E",
      "%252e",
      "%252e%252e",
      "/",
      "%2f",
      "%2F",
      "%252f",
      "\\",
      "%5c",
      "%5C",
      "%",
      "%%",
      "%zz",
      "%00",
      ";",
      "?",
      "#",
      "a",
      "b c",
      "é",
      "%C3%A9",
      "..;",
      "~",
    );
    const rest = fc.oneof(
      fc.array(piece, { maxLength: 12 }).map((parts) => `/${parts.join("")}`),
      fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 8 }).map((parts) => parts.join("/")),
      fc.string({ unit: "binary", maxLength: 40 }),
    );
    fc.assert(
      fc.property(rest, (r) => {
        const result = buildUpstreamPath({ basePath: "/base", rest: r });
        if (result.ok) expect(staysUnder("/base", result.path)).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  }, 60_000);
});
