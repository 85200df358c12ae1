import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { getEnv, getInterpolationVars } from './env';
import { idpConfigSchema, type IdpConfig } from './idp-config-schema';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `${NAME}` or `${NAME:-default}`. */
const REFERENCE = /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g;

/** The non-empty `${NAME:-default}` defaults written in a config file's text: published values. */
export function findPublishedDefaults(text: string): Set<string> {
  return new Set([...text.matchAll(REFERENCE)].map((m) => m[2]).filter((v): v is string => Boolean(v)));
}

/** Replaces `${NAME}` and `${NAME:-default}` in string values with environment values. */
function interpolate(value: unknown, vars: Record<string, string | undefined>, path: string): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (_, name: string, fallback: string | undefined) => {
      const v = vars[name] ?? fallback;
      if (v === undefined) throw new ConfigError(`${path}: environment variable ${name} is not set`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, vars, `${path}.${i}`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const at = path ? `${path}.${k}` : k;
        return [interpolate(k, vars, at) as string, interpolate(v, vars, at)];
      }),
    );
  }
  return value;
}

/** Parses and validates config text; errors name the offending key. */
export function parseIdpConfig(text: string, vars: Record<string, string | undefined>): IdpConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`not valid YAML: ${(e as Error).message}`);
  }
  const result = idpConfigSchema.safeParse(interpolate(raw, vars, ''));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function loadIdpConfig(path: string): IdpConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const env = getEnv();
  try {
    return parseIdpConfig(text, { ...getInterpolationVars(), PUBLIC_URL: env.publicUrl.href.replace(/\/$/, '') });
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${path}: ${e.message}`);
    throw e;
  }
}

const holder = globalThis as unknown as { __meridianIdpConfig?: IdpConfig };

export function getIdpConfig(): IdpConfig {
  holder.__meridianIdpConfig ??= loadIdpConfig(getEnv().idpConfigPath);
  return holder.__meridianIdpConfig;
}
