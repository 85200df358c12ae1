import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PairwiseSubjects, computePairwiseSubject, type PairwiseSubjectEntry, type PairwiseSubjectStore } from './pairwise-subjects';
import { convertSubjects, MAX_CONVERSION_BATCH } from './ppid-conversion';

/** In-memory store; counts writes so the cache's effect is visible. */
function memoryStore(active: Set<string>) {
  const rows = new Map<string, string>();
  const store: PairwiseSubjectStore & { writes: number; rows: Map<string, string> } = {
    writes: 0,
    rows,
    async record(entries: readonly PairwiseSubjectEntry[]) {
      store.writes += 1;
      for (const e of entries) if (!rows.has(`${e.sector}|${e.ppid}`)) rows.set(`${e.sector}|${e.ppid}`, e.accountId);
    },
    async findAccountIds(sector, ppids) {
      const out = new Map<string, string>();
      for (const p of ppids) {
        const id = rows.get(`${sector}|${p}`);
        if (id && active.has(id)) out.set(p, id);
      }
      return out;
    },
    async findActiveAccountIds(ids) {
      return new Set(ids.filter((id) => active.has(id)));
    },
  };
  return store;
}

describe('computePairwiseSubject', () => {
  it('is base64url(HMAC-SHA256(salt, sector NUL account))', () => {
    const expected = createHmac('sha256', 'salt').update('travel.example\u0000acc-1').digest('base64url');
    expect(computePairwiseSubject('salt', 'travel.example', 'acc-1')).toBe(expected);
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs per sector, per account and per salt; the separator prevents shifting', () => {
    const base = computePairwiseSubject('salt', 'a.example', 'acc');
    expect(computePairwiseSubject('salt', 'b.example', 'acc')).not.toBe(base);
    expect(computePairwiseSubject('salt', 'a.example', 'acc2')).not.toBe(base);
    expect(computePairwiseSubject('pepper', 'a.example', 'acc')).not.toBe(base);
    expect(computePairwiseSubject('salt', 'a.exampl', 'eacc')).not.toBe(base);
  });
});

describe('PairwiseSubjects', () => {
  it('records a PPID once per process (cache), and resolves it back', async () => {
    const store = memoryStore(new Set(['acc-1']));
    const subjects = new PairwiseSubjects({ salt: 'salt', store });
    const first = await subjects.pairwiseSubject('s.example', 'acc-1');
    const second = await subjects.pairwiseSubject('s.example', 'acc-1');
    expect(second).toBe(first);
    expect(store.writes).toBe(1);
    expect(await subjects.accountIdsFor({ kind: 'pairwise', sector: 's.example' }, [first, 'unknown'])).toEqual(new Map([[first, 'acc-1']]));
    expect(await subjects.candidateAccountIdFor({ kind: 'pairwise', sector: 's.example' }, first)).toBe('acc-1');
    expect(await subjects.candidateAccountIdFor({ kind: 'pairwise', sector: 'other.example' }, first)).toBeUndefined();
  });

  it('writes one batch for several new accounts, nothing for known ones', async () => {
    const store = memoryStore(new Set(['a', 'b', 'c']));
    const subjects = new PairwiseSubjects({ salt: 'salt', store });
    await subjects.pairwiseSubjects('s.example', ['a', 'b']);
    await subjects.pairwiseSubjects('s.example', ['a', 'b', 'c', 'c']);
    expect(store.writes).toBe(2);
    expect(store.rows.size).toBe(3);
  });

  it('public namespaces use the account id, and only active accounts resolve', async () => {
    const subjects = new PairwiseSubjects({ salt: 'salt', store: memoryStore(new Set(['a'])) });
    expect(await subjects.subjectFor({ kind: 'public' }, 'a')).toBe('a');
    expect(await subjects.accountIdsFor({ kind: 'public' }, ['a', 'b'])).toEqual(new Map([['a', 'a']]));
  });

  it('refuses an empty salt', () => {
    expect(() => new PairwiseSubjects({ salt: '', store: memoryStore(new Set()) })).toThrow(/salt/);
  });
});

describe('convertSubjects', () => {
  const travel = { kind: 'pairwise', sector: 'travel.example' } as const;
  const orders = { kind: 'pairwise', sector: 'orders.example' } as const;
  const namespaces: Record<string, typeof travel | typeof orders> = { 'travel-web': travel, 'orders-api': orders };

  async function setup() {
    const store = memoryStore(new Set(['alice', 'bob']));
    const subjects = new PairwiseSubjects({ salt: 'salt', store });
    const deps = { permissions: [{ caller: 'orders-api', sources: ['travel-web'] }], namespaceOf: (id: string) => namespaces[id], subjects };
    const alice = await subjects.pairwiseSubject('travel.example', 'alice');
    const bob = await subjects.pairwiseSubject('travel.example', 'bob');
    return { deps, subjects, alice, bob, store };
  }

  it('converts in order, duplicates kept, unknown ids null', async () => {
    const { deps, alice, bob } = await setup();
    const result = await convertSubjects(deps, { caller: 'orders-api', source: 'travel-web', subjects: [bob, 'nope', alice, bob] });
    const aliceOrders = computePairwiseSubject('salt', 'orders.example', 'alice');
    const bobOrders = computePairwiseSubject('salt', 'orders.example', 'bob');
    expect(result).toEqual([
      { source: bob, target: bobOrders },
      { source: 'nope', target: null },
      { source: alice, target: aliceOrders },
      { source: bob, target: bobOrders },
    ]);
  });

  it('records the targets, so they convert back', async () => {
    const { deps, alice, subjects } = await setup();
    const [converted] = await convertSubjects(deps, { caller: 'orders-api', source: 'travel-web', subjects: [alice] });
    expect(await subjects.accountIdsFor(orders, [converted!.target!])).toEqual(new Map([[converted!.target!, 'alice']]));
  });

  it('refuses pairs without a permission, and unknown sources, the same way', async () => {
    const { deps, alice } = await setup();
    for (const [caller, source] of [['travel-web', 'orders-api'], ['orders-api', 'nobody'], ['nobody', 'travel-web']] as const) {
      await expect(convertSubjects(deps, { caller, source, subjects: [alice] })).rejects.toMatchObject({ code: 'ppid.conversion_not_permitted', status: 403 });
    }
  });

  it('takes 1 to 1000 non-empty strings', async () => {
    const { deps } = await setup();
    const call = (subjects: unknown[]) => convertSubjects(deps, { caller: 'orders-api', source: 'travel-web', subjects });
    await expect(call(Array.from({ length: MAX_CONVERSION_BATCH }, (_, i) => `x${i}`))).resolves.toHaveLength(1000);
    for (const bad of [[], Array.from({ length: MAX_CONVERSION_BATCH + 1 }, () => 'x'), [''], [42], ['a'.repeat(256)]]) {
      await expect(call(bad)).rejects.toMatchObject({ code: 'ppid.invalid_request', status: 400 });
    }
  });
});
