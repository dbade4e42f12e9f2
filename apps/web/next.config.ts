import path from 'node:path';
import type { NextConfig } from 'next';

/**
 * Where the API lives. Read when `next build` runs: rewrites are compiled into the routes manifest,
 * so build with the same API_URL the server will use (the e2e suite builds its own copy).
 */
const apiUrl = (process.env.API_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');

const config: NextConfig = {
  // The e2e suite builds into `.next-e2e` so it never clobbers a developer's running build.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  reactStrictMode: true,
  poweredByHeader: false,
  // Type errors are caught by `npm run typecheck -w @triport/web` (tsc), which the test command runs
  // separately; skipping the duplicate check keeps `next build` fast on 2 cores.
  typescript: { ignoreBuildErrors: true },
  turbopack: { root: path.resolve(import.meta.dirname, '../..') },
  // Browser calls go to our own origin, so the API's session cookie is first-party.
  async rewrites() {
    return [
      { source: '/trpc/:path*', destination: `${apiUrl}/trpc/:path*` },
      { source: '/rest/:path*', destination: `${apiUrl}/rest/:path*` },
      { source: '/soap', destination: `${apiUrl}/soap` },
    ];
  },
};

export default config;
