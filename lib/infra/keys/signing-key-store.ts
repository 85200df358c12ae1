import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { getEnv } from '../../config/env';
import { getDb, providerOf, type Db, type DbTransaction } from '../db/client';
import type { SigningKey } from '../db/generated/sqlite/client';
import { decryptPrivateJwk, encryptPrivateJwk, isPlaintextJwk, KeyEncryptionError } from './key-encryption';

/**
 * Token signing keys in the signing_keys table. Rules:
 * 1. exactly one active key per algorithm (ES256, RS256, EdDSA); the first start generates them
 *    (and an algorithm added later, on the next start);
 * 2. rotation retires the active keys and adds new ones in one transaction;
 * 3. a new key is published at once but signs only NEW_KEY_SIGNING_DELAY_MS after it was added;
 *    until then the key it replaces goes on signing. Each server process re-reads the keys every
 *    KEY_RELOAD_INTERVAL_MS, so by the time any process signs with the new key, every process
 *    publishes it: a token signed by one verifies against the JWKS of any other. The key that
 *    signs comes first of its algorithm (oidc-provider signs with the first key of an algorithm);
 * 4. a retired key stays in the JWKS for RETIRED_KEY_RETENTION_SECONDS, so tokens it signed
 *    still verify;
 * 5. generation and rotation hold a database-wide lock, so processes starting together never
 *    create two active keys of one algorithm;
 * 6. private keys are stored encrypted with KEY_ENCRYPTION_KEY (key-encryption.ts); plaintext
 *    rows of earlier versions are encrypted in place when keys are loaded.
 */

/** Longer than any token we sign lives (ID and access tokens: minutes to hours). */
export const RETIRED_KEY_RETENTION_SECONDS = 2 * 24 * 60 * 60;

/** How often each server process re-reads the keys (lib/protocol/provider.ts). */
export const KEY_RELOAD_INTERVAL_MS = 30_000;

/** Rule 3: more than one reload interval, so every process has re-read the keys in between. */
export const NEW_KEY_SIGNING_DELAY_MS = 2 * KEY_RELOAD_INTERVAL_MS;

export const SIGNING_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

type GeneratedKey = { kid: string; alg: SigningAlgorithm; privateJwk: JWK; publicJwk: JWK };

export type SigningKeys = { privateJwks: JWK[]; publicJwks: { keys: JWK[] } };

async function generateSigningKey(alg: SigningAlgorithm): Promise<GeneratedKey> {
  // ES256 uses P-256; RS256 jose's default 2048-bit modulus (it signs PS256 too); EdDSA Ed25519.
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const meta = { kid, alg, use: 'sig' };
  return { kid, alg, privateJwk: { ...(await exportJWK(privateKey)), ...meta }, publicJwk: { ...publicJwk, ...meta } };
}

// Arbitrary constant naming the signing-keys lock among PostgreSQL advisory locks.
const SIGNING_KEYS_LOCK_ID = 4_270_301;

/**
 * Serializes key writers for the rest of the transaction. PostgreSQL: a transaction-scoped
 * advisory lock. SQLite: any write takes the database's single write lock (a no-op update is
 * enough), and must come first: a transaction that read before writing cannot upgrade its lock.
 */
async function lockSigningKeys(db: Db, tx: DbTransaction): Promise<void> {
  if (providerOf(db) === 'postgresql') {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SIGNING_KEYS_LOCK_ID})`;
  } else {
    await tx.$executeRaw`UPDATE "signing_keys" SET "status" = "status" WHERE "kid" = ''`;
  }
}

/** The key-encryption key from the environment (a development default outside production). */
export function requireKeyEncryptionKey(): Uint8Array {
  const kek = getEnv().keyEncryptionKey;
  if (!kek) throw new KeyEncryptionError('KEY_ENCRYPTION_KEY is not set: it is required in production (32 random bytes, base64 or hex)');
  return kek;
}

async function toRow(key: GeneratedKey, now: Date, kek: Uint8Array) {
  return {
    kid: key.kid,
    alg: key.alg,
    privateJwk: await encryptPrivateJwk(key.privateJwk, key.kid, kek),
    publicJwk: JSON.stringify(key.publicJwk),
    status: 'active',
    createdAt: now,
  };
}

function isSigningAlgorithm(alg: string): alg is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly string[]).includes(alg);
}

const newestFirst = (a: SigningKey, b: SigningKey) => b.createdAt.getTime() - a.createdAt.getTime();

/**
 * Rule 3: the newest key of an algorithm added at least NEW_KEY_SIGNING_DELAY_MS ago, or while
 * none is (the very first keys), the oldest.
 */
function signerOf(keys: SigningKey[], now: Date): SigningKey | undefined {
  const sorted = [...keys].sort(newestFirst);
  return sorted.find((k) => k.createdAt.getTime() <= now.getTime() - NEW_KEY_SIGNING_DELAY_MS) ?? sorted.at(-1);
}

async function readPublishedKeys(db: Db, now: Date): Promise<SigningKey[]> {
  const retiredSince = new Date(now.getTime() - RETIRED_KEY_RETENTION_SECONDS * 1000);
  const rows = await db.signingKey.findMany({
    where: { OR: [{ status: 'active' }, { status: 'retired', retiredAt: { gt: retiredSince } }] },
  });
  const algs = [...SIGNING_ALGORITHMS, ...new Set(rows.map((r) => r.alg).filter((alg) => !isSigningAlgorithm(alg)))];
  const signers = algs.flatMap((alg) => signerOf(rows.filter((r) => r.alg === alg), now) ?? []);
  return [...signers, ...rows.filter((r) => !signers.includes(r)).sort(newestFirst)];
}

function missingAlgorithms(rows: SigningKey[]): SigningAlgorithm[] {
  return SIGNING_ALGORITHMS.filter((alg) => !rows.some((r) => r.status === 'active' && r.alg === alg));
}

/** Rule 6: rows written by earlier versions hold the JWK in plain JSON; encrypt them in place. */
async function encryptPlaintextKeys(db: Db, kek: Uint8Array): Promise<void> {
  const plaintext = await db.signingKey.findMany({ where: { privateJwk: { startsWith: '{' } }, select: { kid: true, privateJwk: true } });
  for (const row of plaintext.filter((r) => isPlaintextJwk(r.privateJwk))) {
    const sealed = await encryptPrivateJwk(JSON.parse(row.privateJwk) as JWK, row.kid, kek);
    // Conditional on the old value: a process doing the same at the same time is harmless.
    await db.signingKey.updateMany({ where: { kid: row.kid, privateJwk: row.privateJwk }, data: { privateJwk: sealed } });
  }
}

async function ensureActiveKeys(db: Db, algs: SigningAlgorithm[], kek: Uint8Array): Promise<void> {
  // Generated outside the transaction (RSA takes tens of milliseconds); a process that loses
  // the race simply discards its keys.
  const generated = await Promise.all(algs.map(generateSigningKey));
  await db.$transaction(async (tx) => {
    await lockSigningKeys(db, tx);
    const now = new Date();
    const active = await tx.signingKey.findMany({ where: { status: 'active' }, select: { alg: true } });
    for (const key of generated) {
      if (!active.some((a) => a.alg === key.alg)) await tx.signingKey.create({ data: await toRow(key, now, kek) });
    }
  });
}

/**
 * The keys for oidc-provider (`jwks`) and for publication: the signing key of each algorithm
 * first (ES256, RS256, EdDSA; rule 3), then the other keys (new ones not signing yet, retired
 * ones within the retention window), newest first. Generates the active keys on first use.
 */
export async function loadSigningKeys(db: Db = getDb(), now: Date = new Date(), kek: Uint8Array = requireKeyEncryptionKey()): Promise<SigningKeys> {
  let rows = await readPublishedKeys(db, now);
  const missing = missingAlgorithms(rows);
  if (missing.length > 0) {
    await ensureActiveKeys(db, missing, kek);
    rows = await readPublishedKeys(db, now);
  }
  const privateJwks = await Promise.all(rows.map((r) => decryptPrivateJwk(r.privateJwk, r.kid, kek)));
  if (rows.some((r) => isPlaintextJwk(r.privateJwk))) await encryptPlaintextKeys(db, kek);
  return {
    privateJwks,
    publicJwks: { keys: rows.map((r) => JSON.parse(r.publicJwk) as JWK) },
  };
}

/**
 * Adds a new active key per algorithm and retires the previous ones, atomically. The new keys
 * are published at once and sign from NEW_KEY_SIGNING_DELAY_MS on (rule 3).
 */
export async function rotateSigningKeys(db: Db = getDb(), kek: Uint8Array = requireKeyEncryptionKey()): Promise<{ added: string[]; retired: string[] }> {
  // A key-encryption key that cannot read the stored keys would write keys no server can read.
  await loadSigningKeys(db, new Date(), kek);
  const generated = await Promise.all(SIGNING_ALGORITHMS.map(generateSigningKey));
  return db.$transaction(async (tx) => {
    await lockSigningKeys(db, tx);
    const now = new Date();
    const previous = await tx.signingKey.findMany({ where: { status: 'active' }, select: { kid: true } });
    await tx.signingKey.updateMany({
      where: { kid: { in: previous.map((p) => p.kid) } },
      data: { status: 'retired', retiredAt: now },
    });
    for (const key of generated) await tx.signingKey.create({ data: await toRow(key, now, kek) });
    return { added: generated.map((k) => k.kid), retired: previous.map((p) => p.kid) };
  });
}
