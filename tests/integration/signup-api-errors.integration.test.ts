import { afterAll, describe, expect, it } from 'vitest';
import { errorsOf, GOOD_PASSWORD, input, mail, serverDb, startFlow, stepOf, submit, uniqueEmail } from './_support/signup';
import type { Flow } from '../../lib/domain/flows/flow';

// Bad input on every step over the JSON API: a localized error, the right HTTP status, and no
// partial account (nothing before the code; after it, the pending account gains nothing).

afterAll(async () => {
  await serverDb().$disconnect();
});

async function accountOf(email: string) {
  return serverDb().account.findUnique({ where: { email }, include: { steps: true, termsAcceptances: true, consents: true } });
}

/** A US flow through the email code (the pending account exists). */
async function verified(email = uniqueEmail('us-bad')): Promise<{ flow: Flow; email: string }> {
  let flow = (await startFlow({ region: 'US', locale: 'en' })).flow;
  const before = await mail().lastSeq();
  flow = (await submit(flow, { email })).flow;
  flow = (await submit(flow, { code: await mail().codeFor(email, { after: before }) })).flow;
  expect(stepOf(flow)).toBe('password');
  return { flow, email };
}

describe('bad input over the JSON flow API', () => {
  it('email: a malformed address → 400 with a localized error on the field; no code, no account', async () => {
    const flow = (await startFlow({ region: 'JP', locale: 'ja' })).flow;
    const before = await mail().lastSeq();
    for (const bad of ['not-an-email', 'mei@', '@example.com', 'mei@@example.com', 'mei example@example.com']) {
      const r = await submit(flow, { email: bad });
      expect(r.status, bad).toBe(400);
      expect(errorsOf(r.flow, 'email')).toEqual([{ id: 'signup.email.invalid', text: 'name@example.com のような形式でメールアドレスを入力してください。' }]);
      expect(input(r.flow, 'email')?.attributes.value).toBe(bad.trim());
      expect(stepOf(r.flow)).toBe('email');
    }
    const english = await submit(flow, { email: 'nope' }, { 'accept-language': 'en' });
    expect(errorsOf(english.flow, 'email')[0]?.text).toBe('Enter an email address like name@example.com.');
    expect(await mail().messages({ after: before })).toEqual([]);
    expect(await serverDb().emailVerificationCode.count({ where: { flowId: flow.id } })).toBe(0);
  });

  it('code: five wrong codes → locked (429), the right one refused too; no account', async () => {
    const email = uniqueEmail('five-wrong');
    let flow = (await startFlow({ region: 'US', locale: 'en' })).flow;
    const before = await mail().lastSeq();
    flow = (await submit(flow, { email })).flow;
    const right = await mail().codeFor(email, { after: before });
    const wrong = right === '000000' ? '999999' : '000000';
    const answers: [number, string | undefined][] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await submit(flow, { code: wrong });
      answers.push([r.status, errorsOf(r.flow, 'code')[0]?.text]);
    }
    expect(answers).toEqual([
      [400, 'That code is not right. 4 attempts left.'],
      [400, 'That code is not right. 3 attempts left.'],
      [400, 'That code is not right. 2 attempts left.'],
      [400, 'That code is not right. 1 attempt left.'],
      [429, 'Too many wrong codes. Ask for a new code.'],
    ]);
    const locked = await submit(flow, { code: right });
    expect(locked.status).toBe(429);
    expect(await accountOf(email)).toBeNull();
    // Not a number: 400 before any attempt is counted.
    expect((await submit(flow, { code: '12ab56' })).status).toBe(400);
    // A new code comes only after the resend delay.
    const early = await submit(flow, { action: 'resend' });
    expect(early.status).toBe(429);
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(errorsOf(early.flow)[0]?.id).toBe('signup.code.resend_wait');
  });

  it('code: an expired code → 410; no account', async () => {
    const email = uniqueEmail('expired');
    let flow = (await startFlow({ region: 'US', locale: 'en' })).flow;
    const before = await mail().lastSeq();
    flow = (await submit(flow, { email })).flow;
    const code = await mail().codeFor(email, { after: before });
    // Ten minutes pass (the code's expiry moved into the past).
    await serverDb().emailVerificationCode.updateMany({ where: { flowId: flow.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const r = await submit(flow, { code });
    expect(r.status).toBe(410);
    expect(errorsOf(r.flow, 'code')).toEqual([{ id: 'signup.code.expired', text: 'This code has expired. Ask for a new code.' }]);
    expect(await accountOf(email)).toBeNull();
  });

  it('password: too short, common, guessable → 400 with the strength score; no password stored', async () => {
    const { flow, email } = await verified();
    const short = await submit(flow, { password: 'tiny-pass' });
    expect(short.status).toBe(400);
    expect(errorsOf(short.flow, 'password')).toEqual([{ id: 'signup.password.too_short', text: 'Use at least 15 characters.' }]);
    const common = await submit(flow, { password: 'passwordpassword' });
    expect(common.status).toBe(400);
    expect(errorsOf(common.flow, 'password')).toEqual([{ id: 'signup.password.common', text: 'This password is too common. Choose another one.' }]);
    expect(input(common.flow, 'password')?.meta.strength).toEqual({ score: 0, max: 4 });
    expect(JSON.stringify(common.flow)).not.toContain('passwordpassword');
    const guessable = await submit(flow, { password: 'aaaaaaaaaaaaaaaaaaaaaa' });
    expect(errorsOf(guessable.flow, 'password')[0]?.id).toBe('signup.password.weak');
    const account = await accountOf(email);
    expect(account).toMatchObject({ status: 'pending', passwordHash: null });
    expect(account?.steps.map((s) => s.step).sort()).toEqual(['email', 'email_code']);
  });

  it('birth date: future or malformed → 400; nothing stored', async () => {
    const { flow: start, email } = await verified();
    const flow = (await submit(start, { password: GOOD_PASSWORD })).flow;
    expect(stepOf(flow)).toBe('birth_date');
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const future = await submit(flow, { birth_date: tomorrow });
    expect(future.status).toBe(400);
    expect(errorsOf(future.flow, 'birth_date')).toEqual([{ id: 'signup.birth_date.future', text: 'Your date of birth cannot be in the future.' }]);
    const malformed = await submit(flow, { birth_date: '31/12/1990' });
    expect(errorsOf(malformed.flow, 'birth_date')[0]?.id).toBe('signup.birth_date.invalid');
    expect((await accountOf(email))?.birthDate).toBeNull();
  });

  it('birth date below the minimum age (US 13) → refused; the pending account is deleted', async () => {
    const { flow: start, email } = await verified();
    let flow = (await submit(start, { password: GOOD_PASSWORD })).flow;
    const tenYearsAgo = `${new Date().getUTCFullYear() - 10}-06-15`;
    const refused = await submit(flow, { birth_date: tenYearsAgo });
    expect(refused.status).toBe(200);
    flow = refused.flow;
    expect(flow.state).toBe('refused');
    expect(flow.ui.nodes[0]).toMatchObject({
      type: 'text',
      attributes: { text: { id: 'signup.age.refused', type: 'error', text: 'Sorry, you must be at least 13 years old to create an account in this country or region.' } },
    });
    expect(await accountOf(email)).toBeNull();
  });

  it('terms: unticked → 400; no acceptance recorded', async () => {
    const { flow: start, email } = await verified();
    const withPassword = (await submit(start, { password: GOOD_PASSWORD })).flow;
    const flow = (await submit(withPassword, { birth_date: '1985-03-03' })).flow;
    expect(stepOf(flow)).toBe('terms');
    const none = await submit(flow, {});
    expect(none.status).toBe(400);
    expect(errorsOf(none.flow, 'accept_terms')).toEqual([{ id: 'signup.terms.required', text: 'You must accept this document to continue.' }]);
    const half = await submit(flow, { accept_terms: true, accept_privacy: false });
    expect(errorsOf(half.flow, 'accept_privacy')[0]?.id).toBe('signup.terms.required');
    const account = await accountOf(email);
    expect(account?.termsAcceptances).toEqual([]);
    expect(account?.status).toBe('pending');
  });

  it('out of order → 409; the flow stays where it was', async () => {
    const { flow } = await verified();
    const r = await submit(flow, { step: 'terms', accept_terms: true });
    expect(r.status).toBe(409);
    expect(stepOf(r.flow)).toBe('password');
    expect(errorsOf(r.flow)[0]?.id).toBe('signup.step_mismatch');
  });
});
