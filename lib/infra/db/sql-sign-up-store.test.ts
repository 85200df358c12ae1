import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from './client';
import { transactionRunnerOf } from './sql-database';
import { createSqlSignUpStore } from './sql-sign-up-store';
import { openMigratedTestDatabase, TEST_BACKENDS, type MigratedTestDatabase } from './test-databases';

// The statements with RETURNING, on both databases: the row they hand back is the row written.

function defineStoreTests(provider: 'sqlite' | 'postgresql') {
  let database: MigratedTestDatabase;
  const now = new Date('2026-11-22T03:00:00.000Z');
  const store = () => createSqlSignUpStore(() => database.db, () => now);

  beforeAll(async () => {
    database = await openMigratedTestDatabase(provider);
  });

  afterAll(async () => {
    await database.close();
  });

  it('creates an account once per address: a second create (another flow) writes nothing and answers the same id', async () => {
    const first = await store().transaction((tx) => tx.createAccount({ email: 'Ren@Example.com', region: 'jp', locale: 'ja', emailVerified: false }));
    const second = await store().transaction((tx) => tx.createAccount({ email: 'ren@example.com', region: 'TW', locale: 'zh-TW', emailVerified: true }));
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const account = await store().findAccount(first.id);
    expect(account).toMatchObject({ email: 'ren@example.com', region: 'JP', locale: 'ja', status: 'pending', emailVerified: false });
  });

  it('records several steps in one go, and a step recorded before stays as it was', async () => {
    const { id } = await store().transaction((tx) => tx.createAccount({ email: 'steps@example.com', region: 'US', locale: 'en', emailVerified: true }));
    await store().transaction((tx) => tx.recordStep(id, 'email', 'operator'));
    await store().transaction((tx) => tx.recordSteps(id, ['email', 'email_code'], 'signup'));
    const rows = await database.db.accountStep.findMany({ where: { accountId: id }, orderBy: { step: 'asc' } });
    expect(rows.map((r) => [r.step, r.source])).toEqual([
      ['email', 'operator'],
      ['email_code', 'signup'],
    ]);
    expect((await store().findAccount(id))?.emailVerified).toBe(true);
  });

  it("answers a transaction's account reads with its own writes, and commits the account it answered", async () => {
    const { id } = await store().transaction((tx) => tx.createAccount({ email: 'held@example.com', region: 'US', locale: 'en', emailVerified: true }));
    const terms = { accountId: id, region: 'US', documentId: 'terms', version: '2026-01', locale: 'en', source: 'signup' as const };
    const seen = await store().transaction(async (tx) => {
      const before = await tx.findAccount(id);
      await tx.updateAccount(id, { passwordHash: 'not-a-real-hash' });
      await tx.recordStep(id, 'password', 'signup');
      const middle = await tx.findAccount(id);
      await tx.updateAccount(id, { birthDate: '1988-08-08', status: 'active' });
      await tx.recordSteps(id, ['birth_date', 'password'], 'signup');
      await tx.recordAcceptance(terms);
      await tx.recordAcceptance(terms);
      return { before, middle, after: await tx.findAccount(id) };
    });
    expect(seen.before).toMatchObject({ hasPassword: false, birthDate: null, status: 'pending', acceptances: [] });
    expect([...(seen.before?.steps ?? [])]).toEqual([]);
    expect(seen.middle).toMatchObject({ hasPassword: true, birthDate: null, status: 'pending' });
    expect([...(seen.middle?.steps ?? [])]).toEqual(['password']);
    const committed = await store().findAccount(id);
    expect(committed).toMatchObject({ hasPassword: true, birthDate: '1988-08-08', status: 'active', acceptances: [{ region: 'US', documentId: 'terms', version: '2026-01' }] });
    expect([...(committed?.steps ?? [])].sort()).toEqual(['birth_date', 'password']);
    expect(seen.after).toEqual(committed);
    expect(await database.db.termsAcceptance.count({ where: { accountId: id } })).toBe(1);
  });

  it('reads an account created in the transaction as it commits it, and keeps none of a transaction that fails', async () => {
    const created = await store().transaction(async (tx) => {
      const { id } = await tx.createAccount({ email: 'Fresh@Example.com', region: 'jp', locale: 'ja', emailVerified: true });
      await tx.recordSteps(id, ['email', 'email_code'], 'signup');
      return { id, seen: await tx.findAccount(id) };
    });
    expect(created.seen).toEqual(await store().findAccount(created.id));

    const failed = store().transaction(async (tx) => {
      await tx.updateAccount(created.id, { passwordHash: 'not-a-real-hash', status: 'active' });
      await tx.recordStep(created.id, 'password', 'signup');
      throw new Error('the step failed after its writes');
    });
    await expect(failed).rejects.toThrow('the step failed after its writes');
    expect(await store().findAccount(created.id)).toEqual(created.seen);
  });

  it('writes the held account changes before another store runs a statement in the transaction', async () => {
    const { id } = await store().transaction((tx) => tx.createAccount({ email: 'limiter@example.com', region: 'US', locale: 'en', emailVerified: true }));
    const seenByOther = await store().transaction(async (tx) => {
      await tx.updateAccount(id, { name: 'Ada' });
      const runner = transactionRunnerOf(tx, sqlOf(database.db));
      return runner?.query<{ name: unknown }>('SELECT "name" FROM "accounts" WHERE "id" = ?', [id]);
    });
    expect(seenByOther).toEqual([{ name: 'Ada' }]);
  });

  it('counts a code attempt and returns the counted row, until the attempts are used up or the code is consumed', async () => {
    const flowId = `flow-${provider}-attempts`;
    await store().insertFlow({ id: flowId, state: 'active', region: 'US', locale: 'en', interactionUid: null, accountId: null, cookieBound: true, clientRegions: null, expiresAt: new Date(now.getTime() + 600_000) });
    await store().transaction((tx) =>
      tx.insertCode({ flowId, purpose: 'signup', email: 'ada@example.com', codeHash: 'h', decoy: false, expiresAt: new Date(now.getTime() + 600_000), createdAt: now }),
    );
    const code = await store().latestCode(flowId);
    expect(code).not.toBeNull();
    const id = code!.id;
    const first = await store().transaction((tx) => tx.countCodeAttempt(id, 2));
    expect(first).toMatchObject({ id, flowId, attempts: 1, consumedAt: null, email: 'ada@example.com' });
    expect(await store().transaction((tx) => tx.countCodeAttempt(id, 2))).toMatchObject({ attempts: 2 });
    expect(await store().transaction((tx) => tx.countCodeAttempt(id, 2))).toBeNull();
    expect((await store().latestCode(flowId))?.attempts).toBe(2);

    // The right code: counted and used up in one statement; after that no attempt counts.
    expect(await store().transaction((tx) => tx.countCodeAttempt(id, 5, now))).toMatchObject({ attempts: 3, consumedAt: now });
    expect(await store().transaction((tx) => tx.countCodeAttempt(id, 5))).toBeNull();
    expect(await store().latestCode(flowId)).toMatchObject({ attempts: 3, consumedAt: now });
  });

  it('deletes the flows that expired before the cut-off, however long ago they were created, and keeps the rest', async () => {
    const hour = 3_600_000;
    const at = (ms: number) => new Date(now.getTime() + ms);
    const flow = (id: string, createdAt: Date, expiresAt: Date) =>
      createSqlSignUpStore(() => database.db, () => createdAt).insertFlow({ id: `${provider}-${id}`, state: 'active', region: 'US', locale: 'en', interactionUid: null, accountId: null, cookieBound: false, clientRegions: null, expiresAt });
    const cutOff = at(-24 * hour);
    await flow('expired-long-ago', at(-50 * hour), at(-49 * hour));
    // Created long ago, but its expiry slid on with every step: expired only after the cut-off.
    await flow('slid-past-cut-off', at(-50 * hour), at(-2 * hour));
    await flow('expired-recently', at(-3 * hour), at(-2 * hour));
    await flow('active', at(-1 * hour), at(hour));
    expect(await store().deleteExpiredFlows(cutOff)).toBe(1);
    const left = await Promise.all(['expired-long-ago', 'slid-past-cut-off', 'expired-recently', 'active'].map(async (id) => (await store().findFlow(`${provider}-${id}`)) !== null));
    expect(left).toEqual([false, true, true, true]);
  });

  it('reads a flow with its account, steps and acceptances in one go, and a flow without an account alone', async () => {
    const base = { state: 'active' as const, region: 'JP', locale: 'ja', interactionUid: null, cookieBound: true, clientRegions: ['JP', 'TW'], expiresAt: new Date(now.getTime() + 600_000) };
    const accountId = await store().transaction(async (tx) => {
      const { id } = await tx.createAccount({ email: 'mei@example.com', region: 'JP', locale: 'ja', emailVerified: false });
      await tx.updateAccount(id, { birthDate: '1990-04-01', passwordHash: 'not-a-real-hash', marketingOptIn: false });
      await tx.recordStep(id, 'email', 'signup');
      await tx.recordStep(id, 'birth_date', 'signup');
      await tx.recordAcceptance({ accountId: id, region: 'JP', documentId: 'terms', version: '2026-01', locale: 'ja', source: 'signup' });
      return id;
    });
    await store().insertFlow({ ...base, id: `${provider}-with-account`, accountId });
    await store().insertFlow({ ...base, id: `${provider}-without-account`, accountId: null });

    const withAccount = await store().findFlowWithAccount(`${provider}-with-account`);
    expect(withAccount?.flow).toMatchObject({ id: `${provider}-with-account`, accountId, region: 'JP', locale: 'ja', clientRegions: ['JP', 'TW'], version: 0 });
    expect(withAccount?.account).toMatchObject({
      id: accountId,
      email: 'mei@example.com',
      region: 'JP',
      status: 'pending',
      hasPassword: true,
      hasUpstreamIdentity: false,
      birthDate: '1990-04-01',
      marketingOptIn: false,
      acceptances: [{ region: 'JP', documentId: 'terms', version: '2026-01' }],
    });
    expect([...(withAccount?.account?.steps ?? [])].sort()).toEqual(['birth_date', 'email']);
    expect(withAccount?.account).toEqual(await store().findAccount(accountId));

    const alone = await store().findFlowWithAccount(`${provider}-without-account`);
    expect(alone).toMatchObject({ flow: { id: `${provider}-without-account`, accountId: null }, account: null });
    expect(await store().findFlowWithAccount(`${provider}-missing`)).toBeNull();
  });
}

for (const backend of TEST_BACKENDS) {
  describe.runIf(backend.enabled)(`SQL sign-up store on ${backend.provider}`, () => defineStoreTests(backend.provider));
}
