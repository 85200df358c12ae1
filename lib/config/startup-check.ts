import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { getEnv, type Env } from './env';
import { findPublishedDefaults, getIdpConfig } from './idp-config';
import type { IdpConfig } from './idp-config-schema';
import { describeWeakSecret, findWeakSecrets, MIN_SECRET_BYTES, publicKeyId } from './secret-policy';

/** A reason not to start, already worded for the operator (no stack trace needed). */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** The configuration file the source ships; its `${NAME:-default}` values are public knowledge. */
const SHIPPED_CONFIG_FILE = 'idp.config.yaml';

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The shipped file may be absent from a deployment: then only the active file's defaults count.
    return '';
  }
}

/** The `clients` list of a configuration file as written (before interpolation), or []. */
function rawClients(configText: string): unknown[] {
  let raw: unknown;
  try {
    raw = parseYaml(configText);
  } catch {
    return [];
  }
  const clients = (raw as { clients?: unknown } | null)?.clients;
  return Array.isArray(clients) ? clients : [];
}

/** The keys of the file's clients' `jwks`. */
export function findPublishedKeys(configText: string): Set<string> {
  return new Set(
    rawClients(configText).flatMap((c: unknown) => {
      const keys = (c as { jwks?: { keys?: unknown } } | null)?.jwks?.keys;
      return Array.isArray(keys) ? keys.map((k) => publicKeyId(k as object)) : [];
    }),
  );
}

/** `NAME` when a client's secret is written as `${NAME}` or `${NAME:-default}` in the file. */
function clientSecretVariables(configText: string): (string | undefined)[] {
  return rawClients(configText).map((c: unknown) => {
    const secret = (c as { client_secret?: unknown } | null)?.client_secret;
    return typeof secret === 'string' ? /^\$\{([A-Z0-9_]+)(?::-[^}]*)?\}$/.exec(secret)?.[1] : undefined;
  });
}

function checkSecrets(env: Env, config: IdpConfig): string[] {
  const activeText = readText(env.idpConfigPath);
  const shippedText = readText(resolve(process.cwd(), SHIPPED_CONFIG_FILE));
  const weak = findWeakSecrets({
    env,
    config,
    publishedDefaults: new Set([...findPublishedDefaults(shippedText), ...findPublishedDefaults(activeText)]),
    publishedKeys: findPublishedKeys(shippedText),
    clientSecretVariables: clientSecretVariables(activeText),
  });
  if (weak.length === 0) return [];
  if (env.nodeEnv !== 'production') return [];
  if (env.devSecretsAllowed) {
    return [`MERIDIAN_DEV_SECRETS=1: starting with development or published secrets, for a demo only: ${weak.map((w) => w.name).join(', ')}`];
  }
  throw new StartupError(
    [
      'refusing to start in production with known or weak secrets:',
      ...weak.map((w) => `  ${describeWeakSecret(w)}`),
      `Set each to a random value of at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 32\`); MERIDIAN_DEV_SECRETS=1 allows them for a demo only.`,
    ].join('\n'),
  );
}

/**
 * Validates the environment, the configuration file and the secrets before the server listens.
 * Throws a StartupError naming every problem; returns the warnings to log.
 */
export function checkStartup(): { warnings: string[] } {
  let env: Env;
  let config: IdpConfig;
  try {
    env = getEnv();
    config = getIdpConfig();
  } catch (e) {
    throw new StartupError((e as Error).message);
  }
  return { warnings: checkSecrets(env, config) };
}
