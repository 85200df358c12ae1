import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamIdentityStore } from './upstream-identity-store';
import { openMigratedTestDatabase, TEST_BACKENDS, type MigratedTestDatabase } from './test-databases';

describe.each(TEST_BACKENDS)('upstream identity store ($provider)', ({ provider }) => {
  let t: MigratedTestDatabase;

  beforeAll(async () => {
    t = await openMigratedTestDatabase(provider);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates an account with its link, answers null for a taken address, and links once', async () => {
    const store = createUpstreamIdentityStore(() => t.db);
    const input = { email: 'up@example.com', region: 'jp', locale: 'ja', provider: 'google', subject: 's1' };
    const id = await store.createLinkedAccount(input);
    expect(id).toEqual(expect.any(String));
    expect(await store.createLinkedAccount({ ...input, subject: 's2' })).toBeNull();

    const linked = await store.findLinkedAccount('google', 's1');
    expect(linked).toMatchObject({ id, email: 'up@example.com', emailVerified: true, countryRegionCode: 'JP', status: 'pending' });
    expect(await store.findLinkedAccount('google', 's2')).toBeNull();

    await store.link({ accountId: id!, provider: 'github', subject: 'g1', email: null });
    await store.link({ accountId: id!, provider: 'github', subject: 'g1', email: null });
    expect(await t.db.upstreamIdentity.count({ where: { accountId: id! } })).toBe(2);
  });
});
