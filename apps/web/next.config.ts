import type { NextConfig } from "next";

// Served by `tollgate serve` through Next's programmatic request handler (apps/api), not `next start`.
// The workspace packages export TypeScript source, so Next compiles them.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ["@tollgate/core", "@tollgate/api"],
  // Pages load scripts, styles and data only from this origin and are never framed. Next's inline bootstrap
  // scripts need 'unsafe-inline' (no nonces yet); object, base and form targets are locked down.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          {
            key: "Content-Security-Policy",
            value: [
              "default-src 'self'",
              "script-src 'self' 'unsafe-inline'",
              "style-src 'self' 'unsafe-inline'",
              "img-src 'self' data: https:",
              "font-src 'self'",
              "connect-src 'self'",
              "object-src 'none'",
              "base-uri 'none'",
              "form-action 'self'",
              "frame-ancestors 'none'",
            ].join("; "),
          },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
