/** @type {import('next').NextConfig} */
module.exports = {
  // Separate build folders let several builds (e.g. parallel test runs) coexist.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() renders app/(site)/forbidden.tsx with a 403 status from a server component;
  // app/global-not-found.tsx answers addresses no page has, as there are two root layouts (ADR 0020).
  // preloadEntriesOnStart: false loads a route's code on its first request instead of every
  // route's at start: ~30 MB less at start and after the usual requests (ADR 0019).
  experimental: { authInterrupts: true, globalNotFound: true, preloadEntriesOnStart: false },
  // piscina finds its worker.js next to its own install; bundling would break that.
  serverExternalPackages: ["piscina"],
};
