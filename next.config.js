/** @type {import('next').NextConfig} */
module.exports = {
  // Separate build folders let several builds (e.g. parallel test runs) coexist.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() renders app/forbidden.tsx with a 403 status from a server component.
  experimental: { authInterrupts: true },
  // piscina finds its worker.js next to its own install; bundling would break that.
  serverExternalPackages: ["piscina"],
};
