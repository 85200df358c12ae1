/**
 * What someone holding a copy of the database (a backup, a replica, the SQLite file) learns
 * about the signing keys: the kids and public keys, never a private key.
 */
import { describe, expect, inject, it } from 'vitest';
import { readableAsJwk, readStoredSigningKeys } from '../support/stored-signing-keys';
import { fetchJwks } from './_support/oidc';

describe('signing keys in the database', () => {
  it('are not readable as JWK, while the server publishes and signs with them', async () => {
    const rows = await readStoredSigningKeys(inject('serverEnv').DATABASE_URL!);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(readableAsJwk(row.privateJwk), `row ${row.kid}`).toBe(false);
      // A compact JWE: header.encrypted_key.iv.ciphertext.tag, with `dir` key management.
      expect(row.privateJwk.split('.')).toHaveLength(5);
      const header = JSON.parse(Buffer.from(row.privateJwk.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
      expect(header).toMatchObject({ alg: 'dir', enc: 'A256GCM', signing_kid: row.kid });
    }
    const published = (await fetchJwks()).keys.map((k) => k.kid);
    expect(published.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.kid)).toEqual(expect.arrayContaining(published));
  });
});
