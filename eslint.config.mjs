import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const noDelivery = { group: ['@/app/*', '**/app/**'], message: 'lib/ never imports the delivery layer (app/).' };

const infraOnlyThroughRoot = {
  group: ['**/infra/*', '@/lib/infra/*'],
  message: 'Protocol and delivery reach lib/infra only through the composition root (lib/composition).',
};

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  { ignores: ['.next/**', '.next-*/**', 'bench/results/**', '.test-reports/**', 'node_modules/**', 'lib/infra/db/generated/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
  {
    files: ['lib/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDelivery] }] },
  },
  {
    // No import cycle, dynamic imports included (they once hid a seven-file one).
    files: ['lib/**/*.ts', 'app/**/*.ts', 'app/**/*.tsx', 'instrumentation.ts'],
    rules: { 'import/no-cycle': ['error', { allowUnsafeDynamicCyclicDependency: false }] },
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
            {
              group: ['**/infra/**', '**/protocol/**', '**/composition/**', '@/lib/infra/*', '@/lib/protocol/*', '@/lib/composition/*'],
              message: 'The domain imports nothing outside lib/domain.',
            },
          ],
        },
      ],
    },
  },
  {
    // Adapters implement ports; they never call up into the protocol or the root that wires them.
    files: ['lib/infra/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noDelivery,
            { group: ['**/protocol/**', '@/lib/protocol/*'], message: 'lib/infra never imports lib/protocol.' },
            { group: ['**/composition/**', '@/lib/composition/*'], message: 'lib/infra never imports the composition root that wires it.' },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/protocol/**/*.ts', 'lib/http/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDelivery, infraOnlyThroughRoot] }] },
  },
  {
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [infraOnlyThroughRoot] }] },
  },
];

export default config;
