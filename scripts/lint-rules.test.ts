import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The import-direction rules of eslint.config.mjs, run through ESLint itself on snippets placed
// at real paths (the files need not exist): a violation must be an error, a legal import none.

const ROOT = join(__dirname, '..');
let eslint: ESLint;
let withCycleCheck: ESLint;

beforeAll(() => {
  // import/no-cycle reads the linted file from disk and fails on a probe path that does not
  // exist: off for the direction rules, on for the cycle test (which lints real files).
  eslint = new ESLint({ cwd: ROOT, overrideConfig: { rules: { 'import/no-cycle': 'off' } } });
  withCycleCheck = new ESLint({ cwd: ROOT });
});

async function lint(filePath: string, code: string, linter: ESLint = eslint): Promise<ESLint.LintResult> {
  const [result] = await linter.lintText(code, { filePath: join(ROOT, filePath) });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  return result;
}

function lintImport(filePath: string, specifier: string): Promise<ESLint.LintResult> {
  return lint(filePath, `import * as imported from '${specifier}';\n\nexport const probe = imported;\n`);
}

function restrictedImportErrors(result: ESLint.LintResult): string[] {
  return result.messages
    .filter((message) => message.ruleId === 'no-restricted-imports' && message.severity === 2)
    .map((message) => message.message);
}

const violations: { from: string; specifier: string; reason: string }[] = [
  { from: 'lib/domain/lint-probe.ts', specifier: '@prisma/client', reason: 'The domain declares ports' },
  { from: 'lib/domain/lint-probe.ts', specifier: '../infra/db/generated/sqlite/client', reason: 'The domain declares ports' },
  { from: 'lib/domain/lint-probe.ts', specifier: 'oidc-provider', reason: 'The domain declares ports' },
  { from: 'lib/domain/lint-probe.ts', specifier: 'pg', reason: 'The domain declares ports' },
  { from: 'lib/domain/lint-probe.ts', specifier: 'next/server', reason: 'The domain imports no Next.js or React' },
  { from: 'lib/domain/lint-probe.ts', specifier: 'react', reason: 'The domain imports no Next.js or React' },
  { from: 'lib/domain/lint-probe.ts', specifier: 'next-intl/server', reason: 'The domain imports no Next.js or React' },
  { from: 'lib/domain/lint-probe.ts', specifier: '../infra/db/client', reason: 'The domain imports nothing outside lib/domain' },
  { from: 'lib/domain/accounts/lint-probe.ts', specifier: '@/lib/infra/db/client', reason: 'The domain imports nothing outside lib/domain' },
  { from: 'lib/domain/lint-probe.ts', specifier: '../protocol/provider', reason: 'The domain imports nothing outside lib/domain' },
  { from: 'lib/domain/lint-probe.ts', specifier: '../../app/layout', reason: 'lib/ never imports the delivery layer' },
  { from: 'lib/infra/lint-probe.ts', specifier: '../../app/layout', reason: 'lib/ never imports the delivery layer' },
  { from: 'lib/infra/db/lint-probe.ts', specifier: '@/app/_lib/lint-probe', reason: 'lib/ never imports the delivery layer' },
  { from: 'lib/protocol/lint-probe.ts', specifier: '../../app/layout', reason: 'lib/ never imports the delivery layer' },
  { from: 'lib/domain/lint-probe.ts', specifier: '../composition/services', reason: 'The domain imports nothing outside lib/domain' },
  { from: 'lib/infra/lint-probe.ts', specifier: '../protocol/provider', reason: 'lib/infra never imports lib/protocol' },
  { from: 'lib/infra/db/lint-probe.ts', specifier: '@/lib/protocol/interactions', reason: 'lib/infra never imports lib/protocol' },
  { from: 'lib/infra/lint-probe.ts', specifier: '../composition/services', reason: 'lib/infra never imports the composition root' },
  { from: 'lib/protocol/lint-probe.ts', specifier: '../infra/db/client', reason: 'reach lib/infra only through the composition root' },
  { from: 'lib/protocol/grants/lint-probe.ts', specifier: '../../infra/keys/signing-key-store', reason: 'reach lib/infra only through the composition root' },
  { from: 'lib/http/lint-probe.ts', specifier: '../infra/mail/mail-outbox', reason: 'reach lib/infra only through the composition root' },
  { from: 'app/lint-probe.ts', specifier: '@/lib/infra/db/prisma-account-repository', reason: 'reach lib/infra only through the composition root' },
  { from: 'app/upstream/link/lint-probe.tsx', specifier: '../../../lib/infra/db/upstream-login-store', reason: 'reach lib/infra only through the composition root' },
];

const legal: { from: string; specifier: string }[] = [
  { from: 'lib/domain/lint-probe.ts', specifier: './errors' },
  { from: 'lib/domain/accounts/lint-probe.ts', specifier: '@/lib/domain/errors' },
  { from: 'lib/infra/lint-probe.ts', specifier: '../domain/errors' },
  { from: 'lib/infra/db/lint-probe.ts', specifier: '@prisma/client' },
  { from: 'lib/protocol/lint-probe.ts', specifier: 'oidc-provider' },
  { from: 'app/lint-probe.ts', specifier: '../lib/domain/errors' },
  { from: 'lib/infra/upstream/lint-probe.ts', specifier: 'oidc-provider' },
  { from: 'lib/protocol/lint-probe.ts', specifier: '../composition/services' },
  { from: 'lib/http/lint-probe.ts', specifier: '../composition/services' },
  { from: 'app/interaction/lint-probe.tsx', specifier: '@/lib/composition/services' },
  { from: 'lib/composition/lint-probe.ts', specifier: '../infra/db/client' },
  { from: 'lib/composition/lint-probe.ts', specifier: '../protocol/provider' },
];

describe('the import-direction lint rules', () => {
  it.each(violations)('refuses $specifier in $from', async ({ from, specifier, reason }) => {
    const errors = restrictedImportErrors(await lintImport(from, specifier));
    expect(errors).toContainEqual(expect.stringContaining(reason));
  });

  it('refuses a type-only import too (a port never names a Prisma type)', async () => {
    const code = `import type { PrismaClient } from '@prisma/client';\n\nexport type Probe = PrismaClient;\n`;
    const errors = restrictedImportErrors(await lint('lib/domain/lint-probe.ts', code));
    expect(errors).toContainEqual(expect.stringContaining('The domain declares ports'));
  });

  it('refuses an import cycle, a dynamic import included', async () => {
    // import/no-cycle follows imports on disk, so the probe is two real files, removed after.
    const dir = mkdtempSync(join(ROOT, 'lib', 'lint-cycle-probe-'));
    try {
      writeFileSync(join(dir, 'a.ts'), `import { b } from './b';\n\nexport const a = () => b;\n`);
      writeFileSync(join(dir, 'b.ts'), `export const b = () => import('./a');\n`);
      const results = await withCycleCheck.lintFiles([join(dir, 'a.ts'), join(dir, 'b.ts')]);
      for (const result of results) {
        expect(result.messages.filter((message) => message.ruleId === 'import/no-cycle' && message.severity === 2)).not.toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(legal)('allows $specifier in $from', async ({ from, specifier }) => {
    const result = await lintImport(from, specifier);
    expect(result.messages.filter((message) => message.severity === 2)).toEqual([]);
  });
});
