import type { NextConfig } from "next";

// Served by `tollgate serve` through Next's programmatic request handler (apps/api), not `next start`.
// The workspace packages export TypeScript source, so Next compiles them.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ["@tollgate/core", "@tollgate/api"],
};

export default nextConfig;
