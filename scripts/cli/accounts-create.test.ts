import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsCreateCommand } from './accounts-create';
import { UsageError, type CliIo } from './cli-io';

// Every case below is refused before the database is touched, so none is needed.

const PASSWORD = 'correct horse battery staple';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'meridian-cli-unit-'));
  writeFileSync(
    join(dir, 'idp.config.yaml'),
    'regions:\n  - { code: JP, default_locale: ja, locales: [ja, en] }\n  - { code: US, default_locale: en, locales: [en] }\n',
  );
  // Read once by getEnv (cached for this test file's module graph).
  process.env.IDP_CONFIG = join(dir, 'idp.config.yaml');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(secret = ''): CliIo {
  return { out: () => undefined, err: () => undefined, readSecret: async () => secret };
}

async function usageError(args: string[], secret?: string): Promise<string> {
  const error = await accountsCreateCommand.run(args, io(secret)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).command).toBe('accounts create');
  return (error as UsageError).message;
}

describe('accounts create option checks', () => {
  const base = ['--email', 'dave@example.com', '--region', 'US'];

  it('requires email and region, and a well-formed email', async () => {
    expect(await usageError(['--region', 'US', '--password', PASSWORD])).toBe('missing required option --email');
    expect(await usageError(['--email', 'dave@example.com', '--password', PASSWORD])).toBe('missing required option --region');
    expect(await usageError(['--email', 'not-an-email', '--region', 'US', '--password', PASSWORD])).toMatch(/not an email address/);
  });

  it('requires exactly one of --password and --password-stdin', async () => {
    expect(await usageError(base)).toMatch(/missing password: use --password-stdin/);
    expect(await usageError([...base, '--password', PASSWORD, '--password-stdin'])).toMatch(/either --password or --password-stdin/);
  });

  it('checks region and locale against the configuration', async () => {
    expect(await usageError(['--email', 'a@b.co', '--region', 'XX', '--password', PASSWORD])).toBe(
      '--region: unknown region "XX" (configured: JP, US)',
    );
    expect(await usageError([...base, '--password', PASSWORD, '--locale', 'fr'])).toBe(
      '--locale: unsupported locale "fr" (supported: en, ja, zh-TW)',
    );
  });

  it('checks the password length and that stdin holds one line', async () => {
    expect(await usageError([...base, '--password', 'short'])).toMatch(/at least 8 characters/);
    expect(await usageError([...base, '--password-stdin'], 'short\n')).toMatch(/at least 8 characters/);
    expect(await usageError([...base, '--password-stdin'], `${PASSWORD}\nmore\n`)).toMatch(/single line/);
  });

  it('never puts the password in a usage error', async () => {
    for (const args of [[...base, PASSWORD], [...base, `--pasword=${PASSWORD}`], [...base, '--json', PASSWORD]]) {
      expect(await usageError(args)).not.toContain('horse');
    }
  });
});
