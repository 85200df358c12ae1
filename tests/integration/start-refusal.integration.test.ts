/**
 * Starts that must not happen, as an operator would make them: `node server.mjs` in production
 * with the secrets the source publishes, with a broken configuration file, with the wrong
 * key-encryption key. Each ends with exit code 1 and a message naming what is wrong, before the
 * server ever accepts a connection.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { productionConfigFile } from '../support/production-config';
import { runServerExpectingExit, type RefusedStart } from '../support/server-process';
import { readStoredSigningKeys } from '../support/stored-signing-keys';

const SHIPPED = readFileSync(join(process.cwd(), 'idp.config.yaml'), 'utf8');

/** The clients whose secret the shipped file publishes as `${VAR:-default}`, read from the file. */
const PUBLISHED_CLIENT_SECRETS = (parseYaml(SHIPPED) as { clients: { client_id: string; client_secret?: string }[] }).clients.flatMap((c) => {
  const variable = /^\$\{([A-Z0-9_]+):-.+\}$/.exec(c.client_secret ?? '')?.[1];
  return variable ? [{ clientId: c.client_id, variable }] : [];
});

function runIdp(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), join(process.cwd(), 'scripts/idp.ts'), ...args], { env: { ...process.env, ...env } }, (error, _stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

const strong = () => randomBytes(32).toString('base64url');
const STRONG_CLIENT_SECRETS = Object.fromEntries(PUBLISHED_CLIENT_SECRETS.map((c) => [c.variable, strong()]));
const STRONG_ENV = { COOKIE_SECRETS: strong(), PAIRWISE_SALT: strong(), KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') };

function expectRefusedBeforeListening(start: RefusedStart): void {
  expect(start.exitCode, start.output).toBe(1);
  expect(start.output).not.toMatch(/listening/i);
  expect(start.acceptedConnection).toBe(false);
  expect(start.output).toContain('Meridian ID cannot start');
  // A reason for the operator, not a stack trace.
  expect(start.output).not.toMatch(/^\s+at /m);
}

describe('a production start on known or weak secrets', () => {
  it('reads the published client secrets from the shipped file (the test itself)', () => {
    expect(PUBLISHED_CLIENT_SECRETS.map((c) => c.clientId)).toContain('marketplace-backend');
    expect(PUBLISHED_CLIENT_SECRETS.length).toBeGreaterThanOrEqual(8);
  });

  it('is refused, naming every default secret: the env secrets and each published client secret', async () => {
    const start = await runServerExpectingExit();
    expectRefusedBeforeListening(start);
    expect(start.output).toContain('refusing to start in production with known or weak secrets');
    for (const name of ['COOKIE_SECRETS', 'PAIRWISE_SALT', 'KEY_ENCRYPTION_KEY']) expect(start.output).toContain(`${name}: not set`);
    for (const { clientId, variable } of PUBLISHED_CLIENT_SECRETS) {
      expect(start.output).toMatch(new RegExp(`client_secret \\(${clientId}, ${variable}\\): a default published in the shipped idp.config.yaml`));
    }
    // The private_key_jwt demo client's key: its private half is committed with the source.
    expect(start.output).toContain('jwks (demo-service-jwt): a key of the shipped idp.config.yaml, whose private half is published with the source');
  });

  it('is refused for the one client secret left at its default, the dev cookie secret and a short salt, and for nothing else', async () => {
    const others = Object.fromEntries(Object.entries(STRONG_CLIENT_SECRETS).filter(([name]) => name !== 'MARKETPLACE_BACKEND_CLIENT_SECRET'));
    const start = await runServerExpectingExit({
      env: { ...STRONG_ENV, ...others, IDP_CONFIG: productionConfigFile(), COOKIE_SECRETS: `${strong()},dev-only-cookie-secret-change-me-0123456789`, PAIRWISE_SALT: 'salt-of-20-bytes-xyz' },
    });
    expectRefusedBeforeListening(start);
    const named = start.output.split('\n').filter((line) => /^\s{2}\S/.test(line));
    expect(named).toEqual([
      "  COOKIE_SECRETS: the source's development value",
      '  PAIRWISE_SALT: shorter than 32 bytes',
      expect.stringMatching(/client_secret \(marketplace-backend, MARKETPLACE_BACKEND_CLIENT_SECRET\): a default published/),
    ]);
  });

  it('goes ahead with MERIDIAN_DEV_SECRETS=1 (the demo) and says so in the log', async () => {
    const start = await runServerExpectingExit({ databaseUrl: inject('serverEnv').DATABASE_URL!, env: { MERIDIAN_DEV_SECRETS: '1' }, untilOutput: /listening/ });
    expect(start.output).toMatch(/MERIDIAN_DEV_SECRETS=1: starting with development or published secrets, for a demo only: COOKIE_SECRETS, PAIRWISE_SALT, KEY_ENCRYPTION_KEY, .*marketplace-backend/);
    expect(start.output).toMatch(/listening/);
    expect(start.acceptedConnection).toBe(true);
  });
});

describe('a start on a broken configuration file', () => {
  it('exits 1 before listening, naming the bad key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-config-'));
    const file = join(dir, 'idp.config.yaml');
    writeFileSync(file, SHIPPED.replace('supported_regions: [JP, TW, HK, US]', 'supported_regions: [JP, XX]'));
    const start = await runServerExpectingExit({ env: { MERIDIAN_DEV_SECRETS: '1', IDP_CONFIG: file } });
    expectRefusedBeforeListening(start);
    expect(start.output).toContain(`${file}: invalid configuration`);
    expect(start.output).toContain('clients.0.supported_regions.1: unknown region "XX"');
  });

  it('exits 1 before listening on an invalid environment variable, naming it', async () => {
    const start = await runServerExpectingExit({ env: { MERIDIAN_DEV_SECRETS: '1', KEY_ENCRYPTION_KEY: 'not-32-bytes' } });
    expectRefusedBeforeListening(start);
    expect(start.output).toContain('KEY_ENCRYPTION_KEY: must be 32 bytes');
  });
});

describe('a start with another key-encryption key than the one the signing keys were stored with', () => {
  it('exits 1 before listening with a clear error, and leaves the keys as they were', async () => {
    // The shared server's keys are encrypted with the demo key; this one is different.
    const databaseUrl = inject('serverEnv').DATABASE_URL!;
    const before = await readStoredSigningKeys(databaseUrl);
    const start = await runServerExpectingExit({
      databaseUrl,
      env: { MERIDIAN_DEV_SECRETS: '1', KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex') },
    });
    expectRefusedBeforeListening(start);
    expect(start.output).toMatch(/signing key \S+ was encrypted with key-encryption key \S+, but KEY_ENCRYPTION_KEY is \S+: set the KEY_ENCRYPTION_KEY the keys were written with/);
    expect(await readStoredSigningKeys(databaseUrl)).toEqual(before);
  });

  it('`npm run idp -- keys rotate` refuses it too, with one error line and nothing changed', async () => {
    const databaseUrl = inject('serverEnv').DATABASE_URL!;
    const before = await readStoredSigningKeys(databaseUrl);
    const rotate = await runIdp(['keys', 'rotate'], { ...inject('serverEnv'), KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    expect(rotate.code).toBe(1);
    expect(rotate.stderr).toMatch(/^error: signing key \S+ was encrypted with key-encryption key \S+, but KEY_ENCRYPTION_KEY is \S+/);
    expect(rotate.stderr).not.toMatch(/^\s+at /m);
    expect(await readStoredSigningKeys(databaseUrl)).toEqual(before);
  });
});
