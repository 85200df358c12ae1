import { compactVerify, CompactSign, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/client';
import { openMigratedTestDatabase, runWorkers, TEST_BACKENDS, type MigratedTestDatabase } from '../db/test-databases';
import { KEY_RELOAD_INTERVAL_MS, loadSigningKeys, NEW_KEY_SIGNING_DELAY_MS, RETIRED_KEY_RETENTION_SECONDS, rotateSigningKeys } from './signing-key-store';

for (const backend of TEST_BACKENDS) {
  describe.runIf(backend.enabled)(`signing key store on ${backend.provider}`, () => {
    let t: MigratedTestDatabase;

    beforeAll(async () => {
      t = await openMigratedTestDatabase(backend.provider);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('generates one ES256, one RS256 and one EdDSA key on first start, once, even when processes race', async () => {
      let published: unknown[];
      if (backend.provider === 'sqlite') {
        // Separate processes: better-sqlite3 waits for another connection's lock synchronously,
        // so a second connection in this process would stall the first.
        published = await runWorkers(2, ['load-keys', t.database.url]);
      } else {
        const clients = Array.from({ length: 4 }, () => createDb(t.database.url));
        try {
          const loaded = await Promise.all(clients.map((c) => loadSigningKeys(c)));
          published = loaded.map((keys) => keys.publicJwks.keys.map((k) => k.kid));
        } finally {
          await Promise.all(clients.map((c) => c.$disconnect()));
        }
      }
      expect(new Set(published.map((kids) => JSON.stringify(kids))).size).toBe(1);
      const rows = await t.db.signingKey.findMany();
      expect(rows.map((r) => `${r.alg}:${r.status}`).sort()).toEqual(['ES256:active', 'EdDSA:active', 'RS256:active']);

      const keys = await loadSigningKeys(t.db);
      expect(keys.privateJwks.map((k) => [k.alg, k.kty, k.use])).toEqual([
        ['ES256', 'EC', 'sig'],
        ['RS256', 'RSA', 'sig'],
        ['EdDSA', 'OKP', 'sig'],
      ]);
      expect(keys.privateJwks[0]?.crv).toBe('P-256');
      expect(keys.privateJwks[2]?.crv).toBe('Ed25519');
      expect(keys.privateJwks.every((k) => typeof k.d === 'string' && typeof k.kid === 'string')).toBe(true);
      expect(keys.publicJwks.keys.map((k) => k.kid)).toEqual(keys.privateJwks.map((k) => k.kid));
      expect(keys.publicJwks.keys.some((k) => 'd' in k || 'p' in k)).toBe(false);
      expect((await loadSigningKeys(t.db)).privateJwks.map((k) => k.kid)).toEqual(keys.privateJwks.map((k) => k.kid));
    });

    it('publishes usable key pairs whose kid is the thumbprint', async () => {
      const { privateJwks, publicJwks } = await loadSigningKeys(t.db);
      for (const [i, jwk] of privateJwks.entries()) {
        const alg = jwk.alg as string;
        const jws = await new CompactSign(new TextEncoder().encode('hello'))
          .setProtectedHeader({ alg, kid: jwk.kid })
          .sign(await importJWK(jwk, alg));
        const publicJwk = publicJwks.keys[i];
        if (!publicJwk) throw new Error('missing public key');
        const { payload } = await compactVerify(jws, await importJWK(publicJwk, alg));
        expect(new TextDecoder().decode(payload)).toBe('hello');
      }
    });

    it('rotates: new keys are published at once and sign after the delay, old keys stay published until the retention window ends', async () => {
      const before = await loadSigningKeys(t.db);
      const oldKids = before.privateJwks.map((k) => k.kid as string);
      const { added, retired } = await rotateSigningKeys(t.db);
      expect(added).toHaveLength(3);
      expect(retired.sort()).toEqual([...oldKids].sort());

      // At once: old and new published, the old ones still first of their algorithm (they sign).
      const now = await loadSigningKeys(t.db);
      expect(now.privateJwks.slice(0, 3).map((k) => k.kid)).toEqual(oldKids);
      expect(now.publicJwks.keys.map((k) => k.kid)).toEqual([...oldKids, ...added]);
      // Just before the delay ends, still the old ones.
      const almostDue = new Date(Date.now() + NEW_KEY_SIGNING_DELAY_MS - 2000);
      expect((await loadSigningKeys(t.db, almostDue)).privateJwks.slice(0, 3).map((k) => k.kid)).toEqual(oldKids);

      const due = new Date(Date.now() + NEW_KEY_SIGNING_DELAY_MS + 1000);
      const after = await loadSigningKeys(t.db, due);
      expect(after.privateJwks.slice(0, 3).map((k) => [k.kid, k.alg])).toEqual([
        [added[0], 'ES256'],
        [added[1], 'RS256'],
        [added[2], 'EdDSA'],
      ]);
      expect(after.publicJwks.keys.map((k) => k.kid)).toEqual([...added, ...after.privateJwks.slice(3).map((k) => k.kid)]);
      expect(after.publicJwks.keys.slice(3).map((k) => k.kid).sort()).toEqual([...oldKids].sort());
      const active = await t.db.signingKey.findMany({ where: { status: 'active' } });
      expect(active.map((r) => r.alg).sort()).toEqual(['ES256', 'EdDSA', 'RS256']);

      const almostExpired = new Date(Date.now() + (RETIRED_KEY_RETENTION_SECONDS - 60) * 1000);
      expect((await loadSigningKeys(t.db, almostExpired)).publicJwks.keys).toHaveLength(6);
      const afterRetention = new Date(Date.now() + (RETIRED_KEY_RETENTION_SECONDS + 60) * 1000);
      expect((await loadSigningKeys(t.db, afterRetention)).publicJwks.keys.map((k) => k.kid)).toEqual(added);
    });

    it('keeps the signing keys through two rotations within the delay, then signs with the newest', async () => {
      const signers = async (at: number) => (await loadSigningKeys(t.db, new Date(at))).privateJwks.slice(0, 3).map((k) => k.kid);
      const before = await signers(Date.now());
      const second = await rotateSigningKeys(t.db);
      const third = await rotateSigningKeys(t.db);
      expect(await signers(Date.now())).toEqual(before);
      const published = (await loadSigningKeys(t.db)).publicJwks.keys.map((k) => k.kid);
      expect(published).toEqual(expect.arrayContaining([...before, ...second.added, ...third.added]));
      expect(await signers(Date.now() + NEW_KEY_SIGNING_DELAY_MS + 1000)).toEqual(third.added);
    });

    it('never leaves two active keys of one algorithm when rotations race', async () => {
      // SQLite: one client per process (better-sqlite3 waits for another connection's lock
      // synchronously, so a second client in this process would stall the first).
      const other = backend.provider === 'postgresql' ? createDb(t.database.url) : t.db;
      try {
        await Promise.all([rotateSigningKeys(t.db), rotateSigningKeys(other), loadSigningKeys(other), rotateSigningKeys(t.db)]);
      } finally {
        if (other !== t.db) await other.$disconnect();
      }
      const active = await t.db.signingKey.findMany({ where: { status: 'active' } });
      expect(active.map((r) => r.alg).sort()).toEqual(['ES256', 'EdDSA', 'RS256']);
    });

    it('adds the EdDSA key to a database that only had ES256 and RS256 keys, keeping those', async () => {
      await t.db.signingKey.deleteMany({ where: { alg: 'EdDSA' } });
      const kept = (await t.db.signingKey.findMany({ where: { status: 'active' } })).map((r) => r.kid).sort();
      const keys = await loadSigningKeys(t.db);
      expect(keys.privateJwks.filter((k) => k.alg === 'EdDSA' && k.crv === 'Ed25519')).toHaveLength(1);
      const active = await t.db.signingKey.findMany({ where: { status: 'active' } });
      expect(active.filter((r) => r.alg !== 'EdDSA').map((r) => r.kid).sort()).toEqual(kept);
    });
  });
}

it('retains retired keys longer than any token we sign lives', () => {
  expect(RETIRED_KEY_RETENTION_SECONDS).toBe(2 * 24 * 60 * 60);
});

it('lets a new key sign only after more than one reload interval', () => {
  expect(NEW_KEY_SIGNING_DELAY_MS).toBeGreaterThan(KEY_RELOAD_INTERVAL_MS);
});
