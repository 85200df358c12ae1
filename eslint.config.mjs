import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const noDelivery = { group: ['@/app/*', '**/app/**'], message: 'lib/ never imports the delivery layer (app/).' };

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  { ignores: ['.next/**', '.next-*/**', 'bench/results/**', '.test-reports/**', 'node_modules/**', 'lib/infra/db/generated/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
  {
    files: ['lib/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDelivery] }] },
  },
  {
    // Imports point inward: the domain is plain TypeScript that declares ports.
    files: ['lib/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noDelivery,
            { group: ['next', 'next/*', 'react', 'react-dom', 'next-intl', 'next-intl/*'], message: 'The domain imports no Next.js or React.' },
            { group: ['@prisma/*', '**/generated/**', 'oidc-provider', 'pg', 'better-sqlite3'], message: 'The domain declares ports; lib/infra implements them.' },
            { group: ['**/infra/**', '**/protocol/**', '@/lib/infra/*', '@/lib/protocol/*'], message: 'The domain imports nothing outside lib/domain.' },
          ],
        },
      ],
    },
  },
];

export default config;
