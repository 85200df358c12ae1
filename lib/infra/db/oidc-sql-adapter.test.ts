import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedTestDatabase, TEST_BACKENDS, type MigratedTestDatabase } from './test-databases';
import { OidcSqlAdapter, purgeExpiredOidcPayloads } from './oidc-sql-adapter';

for (const backend of TEST_BACKENDS) {
  describe.runIf(backend.enabled)(`OidcSqlAdapter on ${backend.provider}`, () => {
    let t: MigratedTestDatabase;
    const adapter = (model: string) => new OidcSqlAdapter(model, t.db);

    beforeAll(async () => {
      t = await openMigratedTestDatabase(backend.provider);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('stores and finds a payload per model', async () => {
      await adapter('AccessToken').upsert('at-1', { jti: 'at-1', grantId: 'g-1', accountId: 'acc' }, 60);
      expect(await adapter('AccessToken').find('at-1')).toEqual({ jti: 'at-1', grantId: 'g-1', accountId: 'acc' });
      expect(await adapter('RefreshToken').find('at-1')).toBeUndefined();
      expect(await adapter('AccessToken').find('missing')).toBeUndefined();
    });

    it('replaces the payload and indexes on upsert', async () => {
      const sessions = adapter('Session');
      await sessions.upsert('s-1', { uid: 'uid-old', accountId: 'a' }, 60);
      await sessions.upsert('s-1', { uid: 'uid-new', accountId: 'b' }, 60);
      expect(await sessions.findByUid('uid-old')).toBeUndefined();
      expect(await sessions.findByUid('uid-new')).toEqual({ uid: 'uid-new', accountId: 'b' });
    });

    it('keeps payloads without expiry', async () => {
      await adapter('Grant').upsert('grant-forever', { accountId: 'a' });
      expect(await adapter('Grant').find('grant-forever')).toEqual({ accountId: 'a' });
    });

    it('finds device codes by user code', async () => {
      await adapter('DeviceCode').upsert('dc-1', { userCode: 'ABCD-EFGH', grantId: 'g-dc' }, 600);
      expect(await adapter('DeviceCode').findByUserCode('ABCD-EFGH')).toMatchObject({ userCode: 'ABCD-EFGH' });
      expect(await adapter('DeviceCode').findByUserCode('ZZZZ-ZZZZ')).toBeUndefined();
    });

    it('marks a consumed payload and keeps the first consumption time', async () => {
      const codes = adapter('AuthorizationCode');
      await codes.upsert('code-1', { grantId: 'g-2' }, 60);
      expect((await codes.find('code-1'))?.consumed).toBeUndefined();
      const before = Math.floor(Date.now() / 1000);
      await codes.consume('code-1');
      const consumed = (await codes.find('code-1'))?.consumed as number;
      expect(consumed).toBeGreaterThanOrEqual(before);
      expect(consumed).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
      await codes.consume('code-1');
      expect((await codes.find('code-1'))?.consumed).toBe(consumed);
      // Re-saving (oidc-provider never does this for codes) does not un-consume.
      await codes.upsert('code-1', { grantId: 'g-2' }, 60);
      expect((await codes.find('code-1'))?.consumed).toBe(consumed);
      await expect(codes.consume('missing')).resolves.toBeUndefined();
    });

    it('revokes by grant id within the model only', async () => {
      await adapter('AccessToken').upsert('at-g3-a', { grantId: 'g-3' }, 60);
      await adapter('AccessToken').upsert('at-g3-b', { grantId: 'g-3' }, 60);
      await adapter('AccessToken').upsert('at-g4', { grantId: 'g-4' }, 60);
      await adapter('RefreshToken').upsert('rt-g3', { grantId: 'g-3' }, 60);
      await adapter('AccessToken').revokeByGrantId('g-3');
      expect(await adapter('AccessToken').find('at-g3-a')).toBeUndefined();
      expect(await adapter('AccessToken').find('at-g3-b')).toBeUndefined();
      expect(await adapter('AccessToken').find('at-g4')).toBeDefined();
      expect(await adapter('RefreshToken').find('rt-g3')).toBeDefined();
    });

    it('destroys one payload', async () => {
      await adapter('Interaction').upsert('i-1', { uid: 'i-1' }, 60);
      await adapter('Interaction').destroy('i-1');
      expect(await adapter('Interaction').find('i-1')).toBeUndefined();
      await expect(adapter('Interaction').destroy('i-1')).resolves.toBeUndefined();
    });

    it('hides expired payloads from every finder', async () => {
      await adapter('Session').upsert('s-expired', { uid: 'uid-expired' }, -1);
      await adapter('DeviceCode').upsert('dc-expired', { userCode: 'EXPI-RED0' }, -1);
      expect(await adapter('Session').find('s-expired')).toBeUndefined();
      expect(await adapter('Session').findByUid('uid-expired')).toBeUndefined();
      expect(await adapter('DeviceCode').findByUserCode('EXPI-RED0')).toBeUndefined();
    });

    it('purges expired payloads only', async () => {
      await adapter('AccessToken').upsert('purge-old', { jti: 'purge-old' }, -5);
      await adapter('AccessToken').upsert('purge-live', { jti: 'purge-live' }, 3600);
      await adapter('Grant').upsert('purge-no-expiry', { accountId: 'a' });
      const purged = await purgeExpiredOidcPayloads(t.db, new Date());
      expect(purged).toBeGreaterThanOrEqual(1);
      expect(await t.db.oidcPayload.count({ where: { model: 'AccessToken', id: 'purge-old' } })).toBe(0);
      expect(await adapter('AccessToken').find('purge-live')).toBeDefined();
      expect(await adapter('Grant').find('purge-no-expiry')).toBeDefined();
      expect(await purgeExpiredOidcPayloads(t.db, new Date())).toBe(0);
      // An hour and a bit later, the live token is gone too.
      expect(await purgeExpiredOidcPayloads(t.db, new Date(Date.now() + 3_700_000))).toBeGreaterThanOrEqual(1);
      expect(await t.db.oidcPayload.count({ where: { id: 'purge-live' } })).toBe(0);
    });

    it('stores dates the way Prisma reads them', async () => {
      const before = Date.now();
      await adapter('Session').upsert('s-dates', { uid: 'u-dates' }, 60);
      await adapter('Session').consume('s-dates');
      const row = await t.db.oidcPayload.findUnique({ where: { model_id: { model: 'Session', id: 's-dates' } } });
      expect(row?.expiresAt?.getTime()).toBeGreaterThanOrEqual(before + 59_000);
      expect(row?.expiresAt?.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
      expect(row?.consumedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    });

    it('survives concurrent saves of one session', async () => {
      const sessions = adapter('Session');
      await Promise.all(Array.from({ length: 10 }, (_, i) => sessions.upsert('s-race', { uid: `u-${i}` }, 60)));
      expect(await t.db.oidcPayload.count({ where: { model: 'Session', id: 's-race' } })).toBe(1);
    });
  });
}
