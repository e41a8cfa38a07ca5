import type { NextConfig } from "next";

// Served by `tollgate serve` through Next's programmatic request handler (apps/api), not `next start`.
// The workspace packages export TypeScript source, so Next compiles them.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ["@tollgate/core", "@tollgate/api"],
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
