import type { FlowNode } from '../../flow';
import type { AccountSnapshot } from '../../sign-up-store';
import { CODE_PURPOSE, issueCode } from './issue-code';
import { accountDone } from './step-checks';
import { field, flowError, minutesFor, reject } from './step-outcomes';
import type { StepDefinition } from './step-types';

export const emailCodeStep: StepDefinition = {
  id: 'email_code',
  applies: () => true,
  done: accountDone('email_code'),
  render(s, kit, deps) {
    const email = s.account?.email ?? s.flow.email ?? '';
    const nodes: FlowNode[] = [
      kit.text('email_code', 'code-sent', kit.message('signup.code.sent', 'info', { email, minutes: minutesFor(deps.limits.codeTtlSeconds) })),
      kit.input(
        'email_code',
        { name: 'code', type: 'text', required: true, autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6, minlength: 6 },
        kit.label('signup.code.label'),
      ),
      kit.submit('continue', 'signup.action.verify'),
      kit.submit('resend', 'signup.action.resend'),
    ];
    if (!s.account) nodes.push(kit.submit('change_email', 'signup.action.change_email'));
    return nodes;
  },
  async handle(s, values, rt) {
    const { deps, now } = rt;
    const email = s.account?.email ?? s.flow.email;
    if (!email) return flowError(409, 'signup.step_mismatch');
    if (values.action === 'resend') return issueCode(s, rt, email, { resend: true, setEmail: false });
    if (values.action === 'change_email') {
      if (s.account) return flowError(409, 'signup.step_mismatch');
      const committed = await rt.commit(async (tx) => {
        await tx.retireCodes(s.flow.id, now);
        await tx.updateFlow(s.flow.id, { email: null });
      });
      return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
    }
    const code = (values.code ?? '').replace(/[\s-]/g, '');
    if (!/^\d{6}$/.test(code)) return reject(400, field('code', 'signup.code.invalid_format'));
    const ipKey = `signup:code:ip:${rt.ip}`;
    const ipState = await deps.limiters.codeFailuresPerIp.check(ipKey);
    if (ipState.locked) return flowError(429, 'signup.rate_limited', { minutes: minutesFor(ipState.retryAfterSeconds) }, ipState.retryAfterSeconds);
    const latest = await deps.store.latestCode(s.flow.id);
    if (!latest || latest.consumedAt) return reject(410, field('code', 'signup.code.expired'));
    if (latest.attempts >= deps.limits.codeMaxAttempts) return reject(429, field('code', 'signup.code.locked'));
    if (latest.expiresAt <= now) return reject(410, field('code', 'signup.code.expired'));

    type Verdict = { ok: true; regionKept?: boolean } | { ok: false; remaining: number } | { ok: false; dead: true };
    // A code's hash and decoy flag never change: it can be checked against the row read above.
    const right = !latest.decoy && deps.codes.matches(latest.codeHash, { flowId: s.flow.id, purpose: CODE_PURPOSE, code });
    const committed = await rt.commit(async (tx): Promise<Verdict> => {
      // The attempt counts first (atomically), right or wrong: five guesses per code, in total;
      // the right one uses the code up in the same statement.
      const counted = await tx.countCodeAttempt(latest.id, deps.limits.codeMaxAttempts, right ? now : null);
      if (!counted) return { ok: false, dead: true };
      if (!right) return { ok: false, remaining: deps.limits.codeMaxAttempts - counted.attempts };
      if (s.account) {
        await tx.updateAccount(s.account.id, { emailVerified: true });
        await tx.recordStep(s.account.id, 'email_code', 'signup');
        return { ok: true };
      }
      // The address is proven: create the pending account, or resume one the same person left.
      const { id: accountId, created } = await tx.createAccount({ email, region: s.flow.region ?? '', locale: s.flow.locale, emailVerified: true });
      let existing: AccountSnapshot | null = null;
      if (!created) {
        existing = await tx.findAccountByEmail(email);
        if (existing?.status !== 'pending') return { ok: false, dead: true };
        await tx.updateAccount(accountId, { emailVerified: true });
      }
      await tx.recordSteps(accountId, ['email', 'email_code'], 'signup');
      // The region is fixed once the account exists: a resumed account keeps its own.
      await tx.updateFlow(s.flow.id, { accountId, region: existing?.region ?? s.flow.region });
      return { ok: true, regionKept: existing !== null && existing.region !== s.flow.region };
    });
    if (committed.lost) return { kind: 'lost' };
    const verdict = committed.value;
    if (verdict.ok) return verdict.regionKept ? { kind: 'ok', info: { id: 'signup.region.kept' } } : { kind: 'ok' };
    await deps.limiters.codeFailuresPerIp.recordFailure(ipKey);
    if ('dead' in verdict || verdict.remaining <= 0) return reject(429, field('code', 'signup.code.locked'));
    return reject(400, field('code', 'signup.code.wrong', { remaining: verdict.remaining }));
  },
};
