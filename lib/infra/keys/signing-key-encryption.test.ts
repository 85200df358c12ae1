import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteFile, readableAsJwk, readStoredSigningKeys } from '../../../tests/support/stored-signing-keys';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../db/test-databases';
import { KeyEncryptionError } from './key-encryption';
import { loadSigningKeys, rotateSigningKeys, SIGNING_ALGORITHMS } from './signing-key-store';

describe('signing keys at rest (SQLite file)', () => {
  const kek = new Uint8Array(randomBytes(32));
  let t: MigratedTestDatabase;

  beforeAll(async () => {
    t = await openMigratedTestDatabase('sqlite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores private keys encrypted: the file holds no JWK, the server still signs with them', async () => {
    const loaded = await loadSigningKeys(t.db, new Date(), kek);
    await rotateSigningKeys(t.db, kek);
    const rows = await readStoredSigningKeys(t.database.url);
    expect(rows).toHaveLength(2 * SIGNING_ALGORITHMS.length);
    for (const row of rows) {
      expect(readableAsJwk(row.privateJwk)).toBe(false);
      expect(row.privateJwk.split('.')).toHaveLength(5);
    }
    expect(loaded.privateJwks.every((k) => typeof k.d === 'string')).toBe(true);
    expect((await loadSigningKeys(t.db, new Date(), kek)).privateJwks).toHaveLength(2 * SIGNING_ALGORITHMS.length);
  });

  it('refuses another key-encryption key with an error that says so', async () => {
    const wrong = new Uint8Array(randomBytes(32));
    const error = await loadSigningKeys(t.db, new Date(), wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyEncryptionError);
    expect((error as Error).message).toMatch(/was encrypted with key-encryption key \S+, but KEY_ENCRYPTION_KEY is \S+/);
  });

  it('does not rotate with a key-encryption key that cannot read the stored keys', async () => {
    const before = await readStoredSigningKeys(t.database.url);
    const error = await rotateSigningKeys(t.db, new Uint8Array(randomBytes(32))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyEncryptionError);
    expect(await readStoredSigningKeys(t.database.url)).toEqual(before);
  });

  it('refuses a row whose ciphertext was moved onto another kid', async () => {
    const [a, b] = await readStoredSigningKeys(t.database.url);
    const file = openSqliteFile(t.database.url);
    try {
      file.prepare('UPDATE signing_keys SET private_jwk = ? WHERE kid = ?').run(a!.privateJwk, b!.kid);
      const error = await loadSigningKeys(t.db, new Date(), kek).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyEncryptionError);
      expect((error as Error).message).toContain(`signing key ${b!.kid} cannot be decrypted`);
    } finally {
      file.prepare('UPDATE signing_keys SET private_jwk = ? WHERE kid = ?').run(b!.privateJwk, b!.kid);
      file.close();
    }
  });

  it('loads a plaintext key written by an earlier version and encrypts it in place', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const meta = { kid, alg: 'ES256', use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), ...meta };
    await t.db.signingKey.updateMany({ where: { status: 'active' }, data: { status: 'retired', retiredAt: new Date() } });
    // Written a while ago (by an earlier version), so it is the key that signs (the others are minutes old at most).
    const createdAt = new Date(Date.now() - 24 * 60 * 60 * 1000);
    await t.db.signingKey.create({
      data: { kid, alg: 'ES256', privateJwk: JSON.stringify(privateJwk), publicJwk: JSON.stringify({ ...publicJwk, ...meta }), status: 'active', createdAt },
    });
    expect(readableAsJwk((await readStoredSigningKeys(t.database.url)).find((r) => r.kid === kid)!.privateJwk)).toBe(true);

    const keys = await loadSigningKeys(t.db, new Date(), kek);
    expect(keys.privateJwks[0]).toEqual(privateJwk);
    expect((await readStoredSigningKeys(t.database.url)).every((r) => !readableAsJwk(r.privateJwk))).toBe(true);
    expect((await loadSigningKeys(t.db, new Date(), kek)).privateJwks[0]).toEqual(privateJwk);
  });
});
