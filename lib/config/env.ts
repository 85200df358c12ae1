import { availableParallelism } from 'node:os';
import { z } from 'zod';

const DEV_COOKIE_SECRET = 'dev-only-cookie-secret-change-me-0123456789';
const DEV_PAIRWISE_SALT = 'dev-only-pairwise-salt';

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
  // Set only when a reverse proxy we control terminates TLS; its address, not a header, is trusted.
  TRUSTED_PROXY_IPS: z.string().optional(),
  // Cap on concurrent argon2id computations; beyond it, sign-ins answer 503 instead of queueing.
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().positive().optional(),
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
  trustedProxyIps: string[];
  passwordHashConcurrency: number;
  /** True outside production, or when MERIDIAN_DEV_SECRETS=1 lets a demo build use dev secrets. */
  devSecretsAllowed: boolean;
  /** MERIDIAN_DEMO=1: the build runs as `npm run demo`. */
  demoMode: boolean;
};

function databaseProviderOf(url: string): Env['databaseProvider'] {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgresql';
  throw new Error(`DATABASE_URL must start with file: or postgres:// (got "${url.split(':')[0]}:")`);
}

/** Parses the environment; the only reader of process.env in the codebase. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  // Production refuses to start on the dev secrets unless explicitly allowed (demo quick start).
  const allowDevSecrets = e.NODE_ENV !== 'production' || e.MERIDIAN_DEV_SECRETS === '1';
  const missing: string[] = [];
  if (!e.COOKIE_SECRETS && !allowDevSecrets) missing.push('COOKIE_SECRETS');
  if (!e.PAIRWISE_SALT && !allowDevSecrets) missing.push('PAIRWISE_SALT');
  if (missing.length > 0) {
    throw new Error(`Missing secrets in production: ${missing.join(', ')} (set MERIDIAN_DEV_SECRETS=1 only for demos)`);
  }
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
    cookieSecrets: (e.COOKIE_SECRETS ?? DEV_COOKIE_SECRET).split(',').map((s) => s.trim()).filter(Boolean),
    pairwiseSalt: e.PAIRWISE_SALT ?? DEV_PAIRWISE_SALT,
    trustedProxyIps: (e.TRUSTED_PROXY_IPS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    passwordHashConcurrency: e.PASSWORD_HASH_CONCURRENCY ?? defaultHashConcurrency(),
    devSecretsAllowed: allowDevSecrets,
    demoMode: e.MERIDIAN_DEMO === '1',
  };
}

/**
 * argon2id computations at once unless PASSWORD_HASH_CONCURRENCY says otherwise: one per core.
 * The hash is memory-hard (19 MiB each): more hashes than cores only take turns and evict each
 * other's memory from the caches (on 2 cores, 4 at once cost 10.4 ms of CPU per hash against
 * 8.2 ms for 2, docs/performance.md session 11).
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
