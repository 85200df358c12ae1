import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEV_COOKIE_SECRET, parseEnv } from './env';
import { findPublishedDefaults, parseIdpConfig } from './idp-config';
import { describeWeakSecret, findWeakSecrets } from './secret-policy';
import { findPublishedKeys } from './startup-check';
import { productionConfigFile } from '../../tests/support/production-config';

const shipped = readFileSync(new URL('../../idp.config.yaml', import.meta.url), 'utf8');
const strong = (label: string) => `${label}-${'x'.repeat(40)}`;
const STRONG_ENV = {
  NODE_ENV: 'production',
  COOKIE_SECRETS: strong('cookie'),
  PAIRWISE_SALT: strong('salt'),
  KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
} as const;

/** The shipped file with the private_key_jwt demo client on a key of its own. */
const deployable = readFileSync(productionConfigFile(), 'utf8');

function weakNames(env: Record<string, string>, vars: Record<string, string> = {}, text = deployable): string[] {
  const config = parseIdpConfig(text, { PUBLIC_URL: 'https://id.example.com', ...vars });
  return findWeakSecrets({
    env: parseEnv(env as NodeJS.ProcessEnv),
    config,
    publishedDefaults: findPublishedDefaults(shipped),
    publishedKeys: findPublishedKeys(shipped),
    clientSecretVariables: [],
  }).map(describeWeakSecret);
}

/** Every client secret variable of the shipped file set to a strong value. */
function strongClientSecrets(): Record<string, string> {
  const names = [...shipped.matchAll(/client_secret: \$\{([A-Z0-9_]+):-[^}]+\}/g)].map((m) => m[1]!);
  return Object.fromEntries(names.map((n) => [n, strong(n)]));
}

describe('secret policy', () => {
  it('reads the published defaults from the shipped file itself', () => {
    const defaults = findPublishedDefaults(shipped);
    expect(defaults).toContain('marketplace-backend-secret-0123456789');
    expect(defaults).not.toContain('');
  });

  it('refuses each env secret that is missing, and each client secret left at its published default', () => {
    const problems = weakNames({ NODE_ENV: 'production' });
    expect(problems).toContain('COOKIE_SECRETS: not set');
    expect(problems).toContain('PAIRWISE_SALT: not set');
    expect(problems).toContain('KEY_ENCRYPTION_KEY: not set');
    const clientProblems = problems.filter((p) => p.startsWith('clients.'));
    expect(clientProblems).toHaveLength(Object.keys(strongClientSecrets()).length);
    expect(problems).toContain('clients.8.client_secret (marketplace-backend): a default published in the shipped idp.config.yaml');
  });

  it('accepts strong secrets everywhere', () => {
    expect(weakNames(STRONG_ENV, strongClientSecrets())).toEqual([]);
  });

  it('refuses the source development values and anything under 32 bytes', () => {
    const problems = weakNames({ ...STRONG_ENV, COOKIE_SECRETS: `${strong('new')},${DEV_COOKIE_SECRET}`, PAIRWISE_SALT: 'short-salt' }, { ...strongClientSecrets(), PARTNER_CLIENT_SECRET: 'sixteen-bytes-ok' });
    expect(problems).toEqual([
      "COOKIE_SECRETS: the source's development value",
      'PAIRWISE_SALT: shorter than 32 bytes',
      'clients.4.client_secret (partner-app): shorter than 32 bytes',
    ]);
  });

  it("refuses a private_key_jwt client left on the shipped demo key (its private half is in the source)", () => {
    expect(weakNames(STRONG_ENV, strongClientSecrets(), shipped)).toEqual([
      'clients.3.jwks (demo-service-jwt): a key of the shipped idp.config.yaml, whose private half is published with the source',
    ]);
  });

  it('refuses the development key-encryption key even when given explicitly', () => {
    const devKek = Buffer.from('dev-only-key-encryption-key-0123').toString('hex');
    expect(weakNames({ ...STRONG_ENV, KEY_ENCRYPTION_KEY: devKek }, strongClientSecrets())).toEqual(["KEY_ENCRYPTION_KEY: the source's development value"]);
  });
});

describe('KEY_ENCRYPTION_KEY', () => {
  it('takes 32 bytes as base64, base64url or hex, and refuses anything else by name', () => {
    const key = Buffer.alloc(32, 9);
    for (const text of [key.toString('base64'), key.toString('base64url'), key.toString('hex')]) {
      expect(Buffer.from(parseEnv({ NODE_ENV: 'test', KEY_ENCRYPTION_KEY: text }).keyEncryptionKey!)).toEqual(key);
    }
    expect(() => parseEnv({ NODE_ENV: 'test', KEY_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/KEY_ENCRYPTION_KEY: must be 32 bytes/);
  });

  it('has no default in production without MERIDIAN_DEV_SECRETS=1', () => {
    expect(parseEnv({ NODE_ENV: 'production' }).keyEncryptionKey).toBeUndefined();
    expect(parseEnv({ NODE_ENV: 'production', MERIDIAN_DEV_SECRETS: '1' }).keyEncryptionKey).toHaveLength(32);
    // Weak secrets allowed is not demo mode: the demo routes need MERIDIAN_DEMO=1 of their own.
    expect(parseEnv({ NODE_ENV: 'production', MERIDIAN_DEV_SECRETS: '1' }).demoMode).toBe(false);
    expect(parseEnv({ NODE_ENV: 'production', MERIDIAN_DEMO: '1' }).demoMode).toBe(true);
  });
});
