import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PairwiseSubjects, computePairwiseSubject } from '../../domain/pairwise/pairwise-subjects';
import { createPrismaPairwiseSubjectStore } from './prisma-pairwise-subject-store';
import { openMigratedTestDatabase, TEST_BACKENDS, type MigratedTestDatabase } from './test-databases';

describe.each(TEST_BACKENDS)('prisma pairwise subject store ($provider)', ({ provider, enabled }) => {
  let t: MigratedTestDatabase;
  let accountIds: string[];

  beforeAll(async () => {
    if (!enabled) return;
    t = await openMigratedTestDatabase(provider);
    accountIds = [];
    for (let i = 0; i < 3; i += 1) {
      const row = await t.db.account.create({ data: { email: `pw${i}@example.com`, countryRegionCode: 'JP', locale: 'ja' } });
      accountIds.push(row.id);
    }
  });

  afterAll(async () => {
    if (enabled) await t.close();
  });

  it.skipIf(!enabled)('records once, finds active accounts only, and forgets deleted ones', async () => {
    const store = createPrismaPairwiseSubjectStore(() => t.db);
    const [a, b, c] = accountIds as [string, string, string];
    const entries = [a, b, c].map((accountId) => ({ sector: 's.example', ppid: computePairwiseSubject('salt', 's.example', accountId), accountId }));
    await store.record(entries);
    // Repeats (and a conflicting row for an existing key) change nothing.
    await store.record([...entries, { ...entries[0]!, accountId: b }]);
    expect(await t.db.pairwiseSubject.count()).toBe(3);

    const found = await store.findAccountIds('s.example', [...entries.map((e) => e.ppid), 'unknown']);
    expect(found).toEqual(new Map(entries.map((e) => [e.ppid, e.accountId])));
    expect((await store.findAccountIds('other.example', [entries[0]!.ppid])).size).toBe(0);

    await t.db.account.update({ where: { id: b }, data: { status: 'disabled' } });
    expect([...(await store.findAccountIds('s.example', entries.map((e) => e.ppid))).values()]).toEqual(expect.not.arrayContaining([b]));
    expect(await store.findActiveAccountIds([a, b, c, 'nope'])).toEqual(new Set([a, c]));

    await t.db.account.delete({ where: { id: c } });
    expect(await t.db.pairwiseSubject.count({ where: { accountId: c } })).toBe(0);
  });

  it.skipIf(!enabled)('handles batches of 1000 (lookups) and more than one INSERT chunk (writes)', async () => {
    const store = createPrismaPairwiseSubjectStore(() => t.db);
    const a = accountIds[0]!;
    const lookups = Array.from({ length: 1000 }, (_, i) => `missing-${i}`);
    expect((await store.findAccountIds('s.example', lookups)).size).toBe(0);
    const many = Array.from({ length: 1200 }, (_, i) => ({ sector: `bulk-${i}.example`, ppid: `p${i}`, accountId: a }));
    await store.record(many);
    expect(await t.db.pairwiseSubject.count({ where: { sector: { startsWith: 'bulk-' } } })).toBe(1200);
  });

  it.skipIf(!enabled)('backs PairwiseSubjects end to end', async () => {
    const subjects = new PairwiseSubjects({ salt: 'salt', store: createPrismaPairwiseSubjectStore(() => t.db) });
    const a = accountIds[0]!;
    const ppid = await subjects.pairwiseSubject('e2e.example', a);
    expect(await subjects.accountIdsFor({ kind: 'pairwise', sector: 'e2e.example' }, [ppid, 'x'])).toEqual(new Map([[ppid, a]]));
  });
});
