import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqlOf } from '../db/client';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../db/test-databases';
import { createMailOutbox, type MailOutbox } from './mail-outbox';
import { startOutboxWorker, type OutboxWorker } from './outbox-worker';
import { createSmtpSender, type SmtpSender } from './smtp-sender';

// The worker between a real outbox (SQLite) and a real SMTP server: woken by the commit, retried
// after a refusal the server calls temporary, failed at once on a permanent one, and a send that
// hangs is abandoned and tried again.

type Behaviour = 'accept' | 'defer' | 'reject' | 'hold';

async function startSmtp() {
  const delivered: string[] = [];
  const plan: Behaviour[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@')) callback(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        const behaviour = plan.shift() ?? 'accept';
        if (behaviour === 'hold') return;
        if (behaviour === 'defer') return callback(Object.assign(new Error('4.3.0 try again later'), { responseCode: 451 }));
        delivered.push(session.envelope.rcptTo.map((r) => r.address).join(','));
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, delivered, plan, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

const message = (to: string) => ({ to, subject: 'Your code', text: 'Your code: 123456', html: '<p>123456</p>' });

describe('outbox worker', () => {
  let t: MigratedTestDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let now: Date;
  let outbox: MailOutbox;
  let sender: SmtpSender;
  let worker: OutboxWorker;

  beforeAll(async () => {
    t = await openMigratedTestDatabase('sqlite');
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.stop();
    await t.close();
  });

  function start(sendTimeoutMs: number) {
    sender = createSmtpSender(smtp.url, { name: 'Meridian ID', address: 'no-reply@id.example.com' }, { sendTimeoutMs });
    // Polls far apart: what arrives promptly came from the commit's wake-up.
    worker = startOutboxWorker({ outbox, send: sender.send, sendTimeoutMs, pollIntervalMs: 600_000, clock: () => now, log: () => {} });
  }

  beforeEach(async () => {
    now = new Date();
    smtp.delivered.length = 0;
    smtp.plan.length = 0;
    await sqlOf(t.db).execute('DELETE FROM "mail_outbox"');
    outbox = createMailOutbox(() => sqlOf(t.db), { deliver: true, onQueued: () => worker.wake(), clock: () => now });
  });
  afterEach(async () => {
    await worker.stop();
    sender.close();
  });

  const queue = (to: string) => sqlOf(t.db).transaction((tx) => outbox.queue(tx, message(to)));
  const statusOf = async (to: string) => (await outbox.list(50)).find((m) => m.to === to);
  const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('sends a mail as soon as its transaction commits, once', async () => {
    start(5000);
    await worker.runOnce();
    await queue('mei@example.tw');
    await until(() => smtp.delivered.length === 1);
    await until(async () => (await statusOf('mei@example.tw'))?.status === 'sent');
    await worker.runOnce();
    expect(smtp.delivered).toEqual(['mei@example.tw']);
  });

  it('retries after a temporary refusal once its back-off has passed, and fails a permanent one at once', async () => {
    start(5000);
    await worker.runOnce();
    smtp.plan.push('defer');
    await queue('kenji@example.jp');
    await until(async () => (await statusOf('kenji@example.jp'))?.lastError?.includes('451') ?? false);
    expect(await statusOf('kenji@example.jp')).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await worker.runOnce()).toBe(0);
    now = new Date(now.getTime() + 6_000);
    expect(await worker.runOnce()).toBe(1);
    expect(await statusOf('kenji@example.jp')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.delivered).toEqual(['kenji@example.jp']);

    await queue('nobody@example.jp');
    await until(async () => (await statusOf('nobody@example.jp'))?.status === 'failed');
    expect((await statusOf('nobody@example.jp'))?.lastError).toContain('550');
    expect(smtp.delivered).toEqual(['kenji@example.jp']);
  });

  it('abandons a send the server holds past the send timeout, and delivers it on the next attempt', async () => {
    start(400);
    await worker.runOnce();
    smtp.plan.push('hold');
    await queue('held@example.com');
    await until(async () => (await statusOf('held@example.com'))?.status === 'pending' && (await statusOf('held@example.com'))?.attempts === 1);
    expect(smtp.delivered).toEqual([]);
    now = new Date(now.getTime() + 6_000);
    await worker.runOnce();
    expect(await statusOf('held@example.com')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.delivered).toEqual(['held@example.com']);
  });
});
