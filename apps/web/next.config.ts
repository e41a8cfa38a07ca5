import type { NextConfig } from "next";

// Served by `tollgate serve` through Next's programmatic request handler (apps/api), not `next start`.
// The workspace packages export TypeScript source, so Next compiles them.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ["@tollgate/core", "@tollgate/api"],
  // `npm test` type-checks the web app in its checks phase (`tsc --noEmit`, same config) and sets this so
  // its build does not check the same files again first (11 s of a fresh-clone run's serial start).
  typescript: { ignoreBuildErrors: process.env.TOLLGATE_WEB_BUILD_TYPECHECK === "off" },
  // The Content-Security-Policy is set per request with a nonce (src/proxy.ts); these hold for every answer.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
