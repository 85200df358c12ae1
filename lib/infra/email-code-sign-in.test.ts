import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors';
import { requestSignInCode, verifySignInCode, type EmailCodeSignInDeps } from '../domain/sign-in/email-code-sign-in';
import { createEmailCodes } from './crypto/email-codes';
import { createPrismaAccountRepository } from './db/prisma-account-repository';
import { sqlOf } from './db/client';
import { createSignInCodeStore } from './db/sign-in-code-store';
import { openMigratedTestDatabase, TEST_BACKENDS, type MigratedTestDatabase } from './db/test-databases';
import { createMailOutbox, type MailOutbox } from './mail/mail-outbox';
import { renderSignInCodeMail } from './mail/templates';
import { createFailureLimiter } from './db/failure-counter-store';

async function failureOf(promise: Promise<unknown>): Promise<AppError | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
}

describe.each(TEST_BACKENDS)('email-code sign-in with real stores ($provider)', ({ provider, enabled }) => {
  let t: MigratedTestDatabase;
  let deps: EmailCodeSignInDeps;
  let outbox: MailOutbox;
  let now = new Date('2026-11-22T10:00:00Z');
  /** The code mails whose transaction committed (the outbox holds them rendered). */
  const sent: { to: string; locale: string; code: string; minutes: number }[] = [];
  const outboxRows = async () => (await outbox.list(1000)).length;
  const lastCodeTo = (to: string) => [...sent].reverse().find((m) => m.to === to)?.code ?? '';

  beforeAll(async () => {
    if (!enabled) return;
    t = await openMigratedTestDatabase(provider);
    const accounts = createPrismaAccountRepository(() => t.db);
    const window = (maxFailures: number) => createFailureLimiter(t.db, { maxFailures, windowSeconds: 3600, baseLockoutSeconds: 3600, maxLockoutSeconds: 3600 });
    outbox = createMailOutbox(() => sqlOf(t.db), { deliver: true });
    deps = {
      codes: createSignInCodeStore(
        () => t.db,
        async (tx, mail) => {
          await outbox.queue(tx, renderSignInCodeMail(mail));
          tx.afterCommit(() => sent.push(mail));
        },
      ),
      accounts,
      emailCodes: createEmailCodes(['test-secret']),
      limiters: { sendsPerEmail: window(5), sendsPerIp: window(100), failuresPerIp: window(100) },
      limits: { ttlSeconds: 600, maxAttempts: 5, resendSeconds: 60 },
      clock: () => now,
    };
    await accounts.create({ email: 'mei@example.tw', passwordHash: null, countryRegionCode: 'TW', locale: 'zh-TW', emailVerified: true });
    const gone = await accounts.create({ email: 'gone@example.tw', passwordHash: null, countryRegionCode: 'TW', locale: 'zh-TW', emailVerified: true });
    await accounts.setStatus(gone.id, 'disabled');
  });

  afterAll(async () => {
    if (enabled) await t.close();
  });

  it.skipIf(!enabled)('mails a code that signs in once, at aal1 with amr otp', async () => {
    await requestSignInCode(deps, { interactionUid: 'uid-1', email: ' Mei@Example.TW ', locale: 'zh-TW', ip: '203.0.113.9' });
    expect(sent.at(-1)).toMatchObject({ to: 'mei@example.tw', locale: 'zh-TW', minutes: 10 });
    const code = lastCodeTo('mei@example.tw');
    expect(code).toMatch(/^\d{6}$/);
    const [queued] = await outbox.list(1);
    expect(queued).toMatchObject({ to: 'mei@example.tw', status: 'pending', attempts: 0 });
    expect(queued?.text).toContain(code);
    const result = await verifySignInCode(deps, { interactionUid: 'uid-1', code: `${code.slice(0, 3)} ${code.slice(3)}`, ip: '203.0.113.9' });
    expect(result).toMatchObject({ account: { email: 'mei@example.tw' }, acr: 'urn:meridian:aal1', amr: ['otp'] });
    expect(await failureOf(verifySignInCode(deps, { interactionUid: 'uid-1', code, ip: '203.0.113.9' }))).toMatchObject({ code: 'signin.code_expired' });
    // The code is bound to its sign-in.
    await requestSignInCode(deps, { interactionUid: 'uid-2', email: 'mei@example.tw', locale: 'en', ip: '203.0.113.9' });
    expect(await failureOf(verifySignInCode(deps, { interactionUid: 'uid-3', code: lastCodeTo('mei@example.tw'), ip: '203.0.113.9' }))).toMatchObject({ code: 'signin.code_expired' });
  });

  it.skipIf(!enabled)('answers unknown and disabled addresses like known ones, sending nothing', async () => {
    const before = sent.length;
    const rowsBefore = await outboxRows();
    expect(await failureOf(requestSignInCode(deps, { interactionUid: 'uid-4', email: 'nobody@example.tw', locale: 'en', ip: '203.0.113.10' }))).toBe('ok');
    expect(await failureOf(requestSignInCode(deps, { interactionUid: 'uid-5', email: 'gone@example.tw', locale: 'en', ip: '203.0.113.10' }))).toBe('ok');
    expect(sent.length).toBe(before);
    expect(await outboxRows()).toBe(rowsBefore);
    // No guess matches a decoy, and a wrong guess reads like any other wrong code.
    expect(await failureOf(verifySignInCode(deps, { interactionUid: 'uid-4', code: '123456', ip: '203.0.113.10' }))).toMatchObject({ code: 'signin.code_invalid', details: { attempts: 4 } });
  });

  it.skipIf(!enabled)('allows five tries, then the code is dead even when right', async () => {
    now = new Date(now.getTime() + 120_000);
    await requestSignInCode(deps, { interactionUid: 'uid-6', email: 'mei@example.tw', locale: 'en', ip: '203.0.113.11' });
    const code = lastCodeTo('mei@example.tw');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left -= 1) {
      expect(await failureOf(verifySignInCode(deps, { interactionUid: 'uid-6', code: wrong, ip: '203.0.113.11' }))).toMatchObject({ code: 'signin.code_invalid', details: { attempts: left } });
    }
    expect(await failureOf(verifySignInCode(deps, { interactionUid: 'uid-6', code: wrong, ip: '203.0.113.11' }))).toMatchObject({ code: 'signin.code_attempts' });
    expect(await failureOf(verifySignInCode(deps, { interactionUid: 'uid-6', code, ip: '203.0.113.11' }))).toMatchObject({ code: 'signin.code_attempts' });
  });

  it.skipIf(!enabled)('expires codes after ten minutes, throttles resends and caps sends per address', async () => {
    now = new Date(now.getTime() + 120_000);
    await requestSignInCode(deps, { interactionUid: 'uid-7', email: 'mei@example.tw', locale: 'en', ip: '203.0.113.12' });
    expect(await failureOf(requestSignInCode(deps, { interactionUid: 'uid-7', email: 'mei@example.tw', locale: 'en', ip: '203.0.113.12' }))).toMatchObject({
      code: 'signin.code_resend_wait',
      status: 429,
    });
    const code = lastCodeTo('mei@example.tw');
    now = new Date(now.getTime() + 601_000);
    expect(await failureOf(verifySignInCode(deps, { interactionUid: 'uid-7', code, ip: '203.0.113.12' }))).toMatchObject({ code: 'signin.code_expired', status: 410 });
    // Four sends per address per hour pass (the limiter locks on the fifth), counted across sign-ins: the earlier tests used them.
    expect(await failureOf(requestSignInCode(deps, { interactionUid: 'uid-8', email: 'mei@example.tw', locale: 'en', ip: '203.0.113.12' }))).toMatchObject({
      code: 'signin.code_rate_limited',
      status: 429,
    });
  });
});
