import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build folders let test suites and benchmarks build without disturbing a running server.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Bundling minifies the class names oidc-provider relies on; native addons stay external too.
  serverExternalPackages: ['oidc-provider', '@node-rs/argon2', 'better-sqlite3', '@prisma/adapter-better-sqlite3', '@prisma/adapter-pg', 'pg', 'prisma'],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          // same-origin, not no-referrer: URLs (interaction ids, codes) never leak to other sites, but
          // browsers still send our Origin on our own form POSTs (no-referrer makes it "null",
          // which the same-origin POST check refuses).
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
