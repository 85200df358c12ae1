import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** The source's development values: allowed outside production and with MERIDIAN_DEV_SECRETS=1 only. */
export const DEV_COOKIE_SECRET = 'dev-only-cookie-secret-change-me-0123456789';
export const DEV_PAIRWISE_SALT = 'dev-only-pairwise-salt';
/** base64 of "dev-only-key-encryption-key-0123". */
export const DEV_KEY_ENCRYPTION_KEY = 'ZGV2LW9ubHkta2V5LWVuY3J5cHRpb24ta2V5LTAxMjM=';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().positive().default(3000),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  DATABASE_URL: z.string().min(1).default('file:./data/meridian.db'),
  IDP_CONFIG: z.string().min(1).default('./idp.config.yaml'),
  SMTP_URL: z.string().optional(),
  // A mail send still running after this long is abandoned and retried; twice it, another server
  // process may take over a mail whose sender died. 60 s outlasts any healthy relay.
  MAIL_SEND_TIMEOUT_SECONDS: z.coerce.number().positive().default(60),
  SMS_GATEWAY_URL: z.url().optional(),
  // Comma-separated; the first signs new cookies, the rest still verify (rotation).
  COOKIE_SECRETS: z.string().optional(),
  PAIRWISE_SALT: z.string().optional(),
  // Encrypts signing keys at rest (AES-256-GCM): 32 random bytes, base64 or hex. Required in production.
  KEY_ENCRYPTION_KEY: z.string().optional(),
  // Set only when a reverse proxy we control terminates TLS; its address, not a header, is trusted.
  TRUSTED_PROXY_IPS: z.string().optional(),
  // Cap on concurrent argon2id computations; beyond it, sign-ins answer 503 instead of queueing.
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().positive().optional(),
  // Demo mode for a production build (`npm run demo`, tests, benches): development secrets are
  // accepted (and logged), and the demo and bench routes (/demo, /api/demo) are served.
  MERIDIAN_DEV_SECRETS: z.enum(['0', '1']).optional(),
  // `npm run demo` sets it: demo-only pages (the outbox of undelivered mail) in a production build.
  MERIDIAN_DEMO: z.enum(['0', '1']).optional(),
});

export type Env = {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  publicUrl: URL;
  issuer: string;
  databaseUrl: string;
  databaseProvider: 'sqlite' | 'postgresql';
  idpConfigPath: string;
  smtpUrl: string | undefined;
  mailSendTimeoutMs: number;
  smsGatewayUrl: string | undefined;
  cookieSecrets: string[];
  pairwiseSalt: string;
  /** 32 bytes; undefined only in production without KEY_ENCRYPTION_KEY (the start refuses that). */
  keyEncryptionKey: Uint8Array | undefined;
  trustedProxyIps: string[];
  passwordHashConcurrency: number;
  /** True outside production, or when MERIDIAN_DEV_SECRETS=1 lets a demo build use dev secrets. */
  devSecretsAllowed: boolean;
  /**
   * Development, or MERIDIAN_DEMO=1 (`npm run demo`, test and bench servers): the demo relying
   * party (/demo), the demo/bench API (/api/demo) and the demo outbox answer; else 404.
   */
  demoMode: boolean;
};

function databaseProviderOf(url: string): Env['databaseProvider'] {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgresql';
  throw new Error(`DATABASE_URL must start with file: or postgres:// (got "${url.split(':')[0]}:")`);
}

/** 32 bytes from hex (64 digits) or base64/base64url (43-44 characters). */
function parseKeyEncryptionKey(text: string): Uint8Array {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  if (bytes?.length !== 32) throw new Error('Invalid environment: KEY_ENCRYPTION_KEY: must be 32 bytes, base64 or hex (e.g. `openssl rand -base64 32`)');
  return new Uint8Array(bytes);
}

/**
 * Parses the environment; the only reader of process.env in the codebase. Weak or missing
 * secrets are not refused here but by the start-up check (lib/config/startup-check.ts), which
 * names every one of them at once.
 */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  const allowDevSecrets = e.NODE_ENV !== 'production' || e.MERIDIAN_DEV_SECRETS === '1';
  const keyEncryptionKey = e.KEY_ENCRYPTION_KEY || (allowDevSecrets ? DEV_KEY_ENCRYPTION_KEY : undefined);
  const publicUrl = new URL(e.PUBLIC_URL.replace(/\/+$/, ''));
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    publicUrl,
    issuer: `${publicUrl.origin}${publicUrl.pathname.replace(/\/$/, '')}/oidc`,
    databaseUrl: e.DATABASE_URL,
    databaseProvider: databaseProviderOf(e.DATABASE_URL),
    idpConfigPath: e.IDP_CONFIG,
    smtpUrl: e.SMTP_URL || undefined,
    mailSendTimeoutMs: e.MAIL_SEND_TIMEOUT_SECONDS * 1000,
    smsGatewayUrl: e.SMS_GATEWAY_URL,
    // No development fallback in production: the start-up check refuses the empty values.
    cookieSecrets: (e.COOKIE_SECRETS ?? (allowDevSecrets ? DEV_COOKIE_SECRET : '')).split(',').map((s) => s.trim()).filter(Boolean),
    pairwiseSalt: e.PAIRWISE_SALT ?? (allowDevSecrets ? DEV_PAIRWISE_SALT : ''),
    keyEncryptionKey: keyEncryptionKey === undefined ? undefined : parseKeyEncryptionKey(keyEncryptionKey),
    trustedProxyIps: (e.TRUSTED_PROXY_IPS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    passwordHashConcurrency: e.PASSWORD_HASH_CONCURRENCY ?? defaultHashConcurrency(),
    devSecretsAllowed: allowDevSecrets,
    demoMode: e.MERIDIAN_DEMO === '1' || e.NODE_ENV === 'development',
  };
}

/**
 * argon2id computations at once unless PASSWORD_HASH_CONCURRENCY says otherwise: one per core.
 * The hash is memory-hard (19 MiB each): more hashes than cores only take turns and evict each
 * other's memory from the caches (on 2 cores, 4 at once cost 10.4 ms of CPU per hash against
 * 8.2 ms for 2, docs/performance-history.md, session 11).
 */
export function defaultHashConcurrency(): number {
  return Math.max(1, availableParallelism());
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Variables that idp.config.yaml may reference as `${NAME}` (client secrets and the like). */
export function getInterpolationVars(): Record<string, string | undefined> {
  return { ...process.env };
}
