import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, sqlOf, type Db } from '../db/client';
import { openMigratedTestDatabase, TEST_BACKENDS, type MigratedTestDatabase } from '../db/test-databases';
import { createMailOutbox, type MailOutbox } from './mail-outbox';

// The outbox on a real database: what a transaction queues, what a claim takes, and that two
// claimants (two connections, as two server processes would have) never take one mail twice.

const mail = (n: number) => ({ to: `person${n}@example.com`, subject: `Code ${n}`, text: `Your code: ${100000 + n}`, html: `<p>${100000 + n}</p>` });
const at = (iso: string) => new Date(`2026-12-07T${iso}Z`);

describe.each(TEST_BACKENDS)('mail outbox ($provider)', ({ provider }) => {
  let t: MigratedTestDatabase;
  let woken = 0;
  let outbox: MailOutbox;
  const now = at('10:00:00.000');

  beforeAll(async () => {
    t = await openMigratedTestDatabase(provider);
    outbox = createMailOutbox(() => sqlOf(t.db), { deliver: true, onQueued: () => (woken += 1), clock: () => now });
  });

  beforeEach(async () => {
    await sqlOf(t.db).execute('DELETE FROM "mail_outbox"');
    woken = 0;
  });

  afterAll(async () => {
    await t.close();
  });

  it('keeps a mail only when its transaction commits, and wakes the sender after the commit', async () => {
    await sqlOf(t.db).transaction(async (tx) => {
      await outbox.queue(tx, mail(1));
      expect(woken).toBe(0);
    });
    expect(woken).toBe(1);
    await expect(
      sqlOf(t.db).transaction(async (tx) => {
        await outbox.queue(tx, mail(2));
        throw new Error('the step failed');
      }),
    ).rejects.toThrow('the step failed');
    expect(woken).toBe(1);
    expect((await outbox.list(10)).map((m) => [m.to, m.status])).toEqual([['person1@example.com', 'pending']]);
  });

  it('writes mail `local` when there is no delivery: listed, never claimed, no wake', async () => {
    const local = createMailOutbox(() => sqlOf(t.db), { deliver: false, onQueued: () => (woken += 1), clock: () => now });
    await sqlOf(t.db).transaction((tx) => local.queue(tx, mail(3)));
    expect(woken).toBe(0);
    expect(await outbox.claim({ now: at('11:00:00.000'), leaseUntil: at('11:02:00.000'), limit: 10 })).toEqual([]);
    expect(await local.list(10, ['local'])).toEqual([expect.objectContaining({ to: 'person3@example.com', status: 'local', text: 'Your code: 100003' })]);
  });

  it('claims due mail until its lease ends, then lets another claimant take it; the stale claim can no longer settle it', async () => {
    await sqlOf(t.db).transaction((tx) => outbox.queue(tx, mail(4)));
    const [first] = await outbox.claim({ now: at('10:00:01.000'), leaseUntil: at('10:02:01.000'), limit: 10 });
    expect(first).toMatchObject({ attempt: 1, message: mail(4) });
    // Leased: nobody else gets it meanwhile.
    expect(await outbox.claim({ now: at('10:02:00.000'), leaseUntil: at('10:04:00.000'), limit: 10 })).toEqual([]);
    // Its claimant died: after the lease, the mail is taken over.
    const [second] = await outbox.claim({ now: at('10:02:01.000'), leaseUntil: at('10:04:01.000'), limit: 10 });
    expect(second).toMatchObject({ id: first!.id, attempt: 2 });
    expect(await outbox.markSent(first!, at('10:02:02.000'))).toBe(false);
    expect(await outbox.markSent(second!, at('10:02:02.000'))).toBe(true);
    const [sent] = await outbox.list(1);
    // Sent: the code is not kept at rest.
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, text: '', html: '', sentAt: at('10:02:02.000') });
  });

  it('retries a mail when it is due again and fails it for good with the reason', async () => {
    await sqlOf(t.db).transaction((tx) => outbox.queue(tx, mail(5)));
    const [claimed] = await outbox.claim({ now: at('10:00:01.000'), leaseUntil: at('10:02:01.000'), limit: 10 });
    expect(await outbox.retryLater(claimed!, 'ECONNECTION: connection refused', at('10:00:06.000'))).toBe(true);
    expect(await outbox.claim({ now: at('10:00:05.999'), leaseUntil: at('10:02:05.999'), limit: 10 })).toEqual([]);
    const [again] = await outbox.claim({ now: at('10:00:06.000'), leaseUntil: at('10:02:06.000'), limit: 10 });
    expect(again).toMatchObject({ id: claimed!.id, attempt: 2 });
    expect(await outbox.markFailed(again!, '550 5.1.1 no such user')).toBe(true);
    expect((await outbox.list(1))[0]).toMatchObject({ status: 'failed', lastError: '550 5.1.1 no such user', text: '' });
    expect(await outbox.claim({ now: at('12:00:00.000'), leaseUntil: at('12:02:00.000'), limit: 10 })).toEqual([]);
    expect(await outbox.deleteSettledBefore(at('10:00:00.000'))).toBe(0);
    expect(await outbox.deleteSettledBefore(at('10:00:00.001'))).toBe(1);
  });

  it('gives every mail to exactly one of two claimants racing on their own connections', async () => {
    const second: Db = createDb(t.database.url);
    try {
      const other = createMailOutbox(() => sqlOf(second), { deliver: true, clock: () => now });
      await sqlOf(t.db).transaction(async (tx) => {
        for (let n = 0; n < 40; n += 1) await outbox.queue(tx, mail(100 + n));
      });
      const claim = (o: MailOutbox) => o.claim({ now: at('10:00:01.000'), leaseUntil: at('10:02:01.000'), limit: 3 });
      const taken: string[] = [];
      for (let round = 0; round < 10; round += 1) {
        const batches = await Promise.all([claim(outbox), claim(other), claim(outbox), claim(other)]);
        taken.push(...batches.flat().map((m) => m.id));
      }
      expect(taken).toHaveLength(40);
      expect(new Set(taken).size).toBe(40);
    } finally {
      await second.$disconnect();
    }
  });
});
