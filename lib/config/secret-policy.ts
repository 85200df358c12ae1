import { DEV_COOKIE_SECRET, DEV_KEY_ENCRYPTION_KEY, DEV_PAIRWISE_SALT, type Env } from './env';
import type { IdpConfig } from './idp-config-schema';

/**
 * Which secrets a production start refuses. Rules:
 * 1. COOKIE_SECRETS, PAIRWISE_SALT and KEY_ENCRYPTION_KEY are set;
 * 2. none of them is the source's development value (lib/config/env.ts);
 * 3. no client secret is a value published as a `${NAME:-default}` in the shipped
 *    idp.config.yaml or in the configuration file in use (anyone can read those);
 * 4. every one of them, and every client secret, is at least MIN_SECRET_BYTES long;
 * 5. no client's `jwks` holds a public key of the shipped idp.config.yaml's clients (the demo's
 *    private halves are committed with the source, e.g. tests/support/keys/).
 * Upstream (social sign-in) secrets are issued by the provider and are not ours to judge.
 */

export const MIN_SECRET_BYTES = 32;

export type WeakSecret = { name: string; reason: 'missing' | 'dev_value' | 'published_default' | 'too_short' | 'published_key' };

export type SecretPolicyInput = {
  env: Env;
  config: IdpConfig;
  /** Defaults written in the shipped and the active configuration file. */
  publishedDefaults: ReadonlySet<string>;
  /** publicKeyId() of every key in the shipped configuration's client `jwks`. */
  publishedKeys: ReadonlySet<string>;
  /** The environment variable each client's secret comes from, by client index, when known. */
  clientSecretVariables: readonly (string | undefined)[];
};

const REASON_TEXT: Record<WeakSecret['reason'], string> = {
  missing: 'not set',
  dev_value: "the source's development value",
  published_default: 'a default published in the shipped idp.config.yaml',
  too_short: `shorter than ${MIN_SECRET_BYTES} bytes`,
  published_key: 'a key of the shipped idp.config.yaml, whose private half is published with the source',
};

type PublicJwk = { kty?: unknown; x?: unknown; y?: unknown; n?: unknown; e?: unknown };

/** The public material of a JWK (kid and alg aside): equal for the same key however it is labelled. */
export function publicKeyId(jwk: PublicJwk): string {
  return [jwk.kty, jwk.x, jwk.y, jwk.n, jwk.e].map((v) => (typeof v === 'string' ? v : '')).join('.');
}

function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

function envSecretProblem(values: string[], devValue: string): WeakSecret['reason'] | undefined {
  if (values.length === 0) return 'missing';
  if (values.includes(devValue)) return 'dev_value';
  if (values.some((v) => byteLength(v) < MIN_SECRET_BYTES)) return 'too_short';
  return undefined;
}

/** Every secret the rules refuse, each named once with its first failing rule. */
export function findWeakSecrets({ env, config, publishedDefaults, publishedKeys, clientSecretVariables }: SecretPolicyInput): WeakSecret[] {
  const weak: WeakSecret[] = [];
  const envSecrets: [string, string[], string][] = [
    ['COOKIE_SECRETS', env.cookieSecrets, DEV_COOKIE_SECRET],
    ['PAIRWISE_SALT', env.pairwiseSalt ? [env.pairwiseSalt] : [], DEV_PAIRWISE_SALT],
    // Its format (32 bytes) is checked when the environment is parsed.
    ['KEY_ENCRYPTION_KEY', env.keyEncryptionKey ? [Buffer.from(env.keyEncryptionKey).toString('base64')] : [], DEV_KEY_ENCRYPTION_KEY],
  ];
  for (const [name, values, devValue] of envSecrets) {
    const reason = envSecretProblem(values, devValue);
    if (reason) weak.push({ name, reason });
  }
  config.clients.forEach((client, i) => {
    const keys = (client.jwks?.keys ?? []) as PublicJwk[];
    if (keys.some((k) => publishedKeys.has(publicKeyId(k)))) weak.push({ name: `clients.${i}.jwks (${client.client_id})`, reason: 'published_key' });
    const secret = client.client_secret;
    if (secret === undefined) return;
    const variable = clientSecretVariables[i];
    const name = `clients.${i}.client_secret (${client.client_id}${variable ? `, ${variable}` : ''})`;
    if (publishedDefaults.has(secret)) weak.push({ name, reason: 'published_default' });
    else if (byteLength(secret) < MIN_SECRET_BYTES) weak.push({ name, reason: 'too_short' });
  });
  return weak;
}

export function describeWeakSecret(secret: WeakSecret): string {
  return `${secret.name}: ${REASON_TEXT[secret.reason]}`;
}
