import createNextIntlPlugin from 'next-intl/plugin';
import { SECURITY_HEADERS } from './security-headers.mjs';

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build folders let test suites and benchmarks build without disturbing a running server.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Bundling minifies the class names oidc-provider relies on; native addons and nodemailer (Node-only, run as shipped) stay external too.
  serverExternalPackages: ['oidc-provider', '@node-rs/argon2', 'piscina', 'better-sqlite3', '@prisma/adapter-better-sqlite3', '@prisma/adapter-pg', 'pg', 'prisma', 'nodemailer'],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: SECURITY_HEADERS.map(([key, value]) => ({ key, value })),
      },
    ];
  },
};

export default withNextIntl(nextConfig);
