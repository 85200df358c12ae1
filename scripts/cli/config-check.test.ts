import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm run idp -- config check` on region content: every document and message of every region,
// in each of its locales (the real CLI, against temp configs and the repository's messages/).
const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

let dir: string;

function configCheck(config: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, config);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [TSX, join(ROOT, 'scripts/idp.ts'), 'config', 'check', ...args], {
      cwd: ROOT,
      env: { ...process.env, IDP_CONFIG: file, PUBLIC_URL: 'http://localhost:3000', DATABASE_URL: `file:${join(dir, 'unused.db')}`, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const region = (documents: string) => `regions:
  - code: DE
    default_locale: en
    locales: [en]
    signup:
      steps: [email, email_code, password, terms]
      documents: ${documents}
`;

describe('config check: region content', { timeout: 60_000 }, () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-config-check-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes when every document exists in every locale of the region', async () => {
    const ok = await configCheck(region("[{ id: terms, version: '2026-01' }, { id: privacy, version: '2026-01' }]"));
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/DE {2}default en; locales en; sign-in password; sign-up email → email_code → password → terms; documents terms@2026-01, privacy@2026-01/);
  });

  it('reports a missing document version and a missing message, and exits 1', async () => {
    const bad = await configCheck(region("[{ id: terms, version: '2099-01' }, { id: cookies, version: '2026-01' }]"), ['--json']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('DE (en): missing document messages/legal/DE/terms/2099-01.en.md');
    expect(bad.stderr).toContain('DE (en): missing document messages/legal/DE/cookies/2026-01.en.md');
    expect(bad.stderr).toContain('DE (en): missing message legal.accept.cookies');
    expect(JSON.parse(bad.stdout).problems).toContainEqual({ region: 'DE', locale: 'en', kind: 'message', missing: 'legal.documents.cookies' });
  });

  it('refuses the published client secrets of the shipped file in production, as a production start does', async () => {
    const shipped = readFileSync(join(ROOT, 'idp.config.yaml'), 'utf8');
    const secrets = { COOKIE_SECRETS: 'c'.repeat(40), PAIRWISE_SALT: 's'.repeat(40), KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('hex') };
    const production = await configCheck(shipped, [], { NODE_ENV: 'production', MERIDIAN_DEV_SECRETS: '0', ...secrets });
    expect(production.code).toBe(1);
    expect(production.stderr).toContain('refusing to start in production with known or weak secrets');
    expect(production.stderr).toContain('clients.8.client_secret (marketplace-backend, MARKETPLACE_BACKEND_CLIENT_SECRET): a default published in the shipped idp.config.yaml');
    expect(production.stderr).not.toContain('COOKIE_SECRETS');
    const demo = await configCheck(shipped, [], { NODE_ENV: 'production', MERIDIAN_DEV_SECRETS: '1' });
    expect(demo.code).toBe(0);
    expect(demo.stderr).toContain('warning: MERIDIAN_DEV_SECRETS=1: starting with development or published secrets');
  });
});
