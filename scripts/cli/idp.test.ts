import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../lib/infra/db/client';
import { createPasswordHasher } from '../../lib/infra/crypto/argon2-password-hasher';

// Runs the real CLI (node + tsx, as `npm run idp` does) against a temp SQLite file and config.
const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const IDP = join(ROOT, 'scripts/idp.ts');

const VALID_CONFIG = `
regions:
  - { code: JP, default_locale: ja, locales: [ja, en] }
  - { code: TW, default_locale: zh-TW, locales: [zh-TW, en] }
  - { code: US, default_locale: en, locales: [en] }
resource_servers:
  - identifier: http://localhost:3000/api/demo
    name: Demo API
    regions: [JP, US]
    scopes: { 'items:read': Read items }
clients:
  - client_id: web
    client_name: Web app
    client_secret: test-secret-0123456789
    token_endpoint_auth_method: client_secret_basic
    grant_types: [authorization_code]
    redirect_uris: ['http://localhost:3000/callback']
    supported_regions: [JP, US]
`;

const BROKEN_CONFIG = VALID_CONFIG.replace('supported_regions: [JP, US]', 'supported_regions: [XX]');

type Run = { code: number | null; stdout: string; stderr: string };

let dir: string;
let env: Record<string, string>;

function idp(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [TSX, IDP, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

const PASSWORD = 'correct horse battery staple';

describe('idp CLI', { timeout: 60_000 }, () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-cli-'));
    writeFileSync(join(dir, 'idp.config.yaml'), VALID_CONFIG);
    writeFileSync(join(dir, 'broken.yaml'), BROKEN_CONFIG);
    env = {
      // A file in a directory that does not exist yet: migrate creates both.
      DATABASE_URL: `file:${join(dir, 'data', 'meridian.db')}`,
      IDP_CONFIG: join(dir, 'idp.config.yaml'),
      PUBLIC_URL: 'http://localhost:3000',
    };
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrate applies the migrations once, then nothing', async () => {
    const first = await idp(['migrate', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).applied.length).toBeGreaterThan(0);

    const second = await idp(['migrate']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/No pending migrations/);
  });

  it('accounts create makes a ready, verified account with an argon2id hash; a duplicate fails', async () => {
    const created = await idp(['accounts', 'create', '--email', 'Alice@Example.com', '--password-stdin', '--region', 'jp', '--json'], {
      input: `${PASSWORD}\n`,
    });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const account = JSON.parse(created.stdout);
    expect(account).toMatchObject({ email: 'alice@example.com', emailVerified: true, countryRegionCode: 'JP', locale: 'ja', status: 'active' });

    const db = createDb(env.DATABASE_URL!);
    try {
      const row = await db.account.findUniqueOrThrow({ where: { id: account.id } });
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      // The trailing newline of piped input is not part of the password.
      expect(await createPasswordHasher({ maxConcurrent: 1 }).verify(row.passwordHash!, PASSWORD)).toBe(true);
    } finally {
      await db.$disconnect();
    }

    const duplicate = await idp(['accounts', 'create', '--email', 'alice@example.com', '--password', PASSWORD, '--region', 'US']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/alice@example\.com already exists/);
    expect(duplicate.stdout + duplicate.stderr).not.toContain(PASSWORD);
  });

  it('accounts create prints only the id and honours --locale', async () => {
    const run = await idp(['accounts', 'create', '--email', 'bob@example.com', '--password', PASSWORD, '--region', 'TW', '--locale', 'en']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.stderr).toMatch(/region TW, locale en/);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('accounts create refuses a region outside the configuration, naming it', async () => {
    const run = await idp(['accounts', 'create', '--email', 'carol@example.com', '--password', PASSWORD, '--region', 'XX']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown region "XX" \(configured: JP, TW, US\)/);
  });

  it('accounts create does not echo a password given without its option', async () => {
    // Option checks are unit-tested in accounts-create.test.ts; this one goes through the real process.
    const run = await idp(['accounts', 'create', '--email', 'dave@example.com', '--region', 'US', PASSWORD]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unexpected argument/);
    expect(run.stderr).toMatch(/accounts create --help/);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('accounts disable sets the status once, by email or id', async () => {
    const first = await idp(['accounts', 'disable', '--email', 'ALICE@example.com', '--json']);
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({ email: 'alice@example.com', status: 'disabled', changed: true });

    const again = await idp(['accounts', 'disable', '--id', result.id]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already disabled/);

    const db = createDb(env.DATABASE_URL!);
    try {
      expect((await db.account.findUniqueOrThrow({ where: { id: result.id } })).status).toBe('disabled');
    } finally {
      await db.$disconnect();
    }

    const missing = await idp(['accounts', 'disable', '--email', 'nobody@example.com']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no account with email nobody@example\.com/);
  });

  it('keys rotate adds an ES256, an RS256 and an EdDSA key and retires the previous ones', async () => {
    const first = await idp(['keys', 'rotate', '--json']);
    expect(first.code).toBe(0);
    const one = JSON.parse(first.stdout) as { added: string[]; retired: string[] };
    expect(one.added).toHaveLength(3);

    const second = await idp(['keys', 'rotate']);
    expect(second.code).toBe(0);
    const db = createDb(env.DATABASE_URL!);
    try {
      const keys = await db.signingKey.findMany();
      const active = keys.filter((k) => k.status === 'active');
      expect(active.map((k) => k.alg).sort()).toEqual(['ES256', 'EdDSA', 'RS256']);
      for (const kid of active.map((k) => k.kid)) expect(second.stdout).toContain(kid);
      // The keys from the first rotation are retired, not deleted: they stay in the JWKS.
      for (const kid of one.added) expect(keys.find((k) => k.kid === kid)?.status).toBe('retired');
      expect(second.stdout).toMatch(/Retired/);
    } finally {
      await db.$disconnect();
    }
  });

  it('config check summarizes a valid file and names the bad key of a broken one', async () => {
    const ok = await idp(['config', 'check']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Configuration OK/);
    expect(ok.stdout).toMatch(/Regions \(3\)/);
    expect(ok.stdout).toMatch(/Clients \(1\):\n {2}web /);
    expect(ok.stdout).toMatch(/Resource servers \(1\)/);

    const broken = await idp(['config', 'check'], { env: { IDP_CONFIG: join(dir, 'broken.yaml') } });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/clients\.0\.supported_regions\.0: unknown region "XX"/);
    expect(broken.stdout).toBe('');

    const missing = await idp(['config', 'check'], { env: { IDP_CONFIG: join(dir, 'nope.yaml') } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.yaml/);
  });

  it('help exits 0; an unknown command exits 2', async () => {
    const help = await idp(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run idp -- <command>/);

    const unknown = await idp(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });
});
