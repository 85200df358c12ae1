import type { StepOutcome, StepRuntime, StepState } from './step-types';
import { flowError, minutesFor } from './step-outcomes';

/** Codes of sign-up are hashed with this purpose (with the flow id): a code of another purpose never matches. */
export const CODE_PURPOSE = 'signup';

/**
 * Sends a code for `email` (or, when the address already has an active account, a decoy code and
 * a notice to its owner: the screen does not tell the two apart). Throttled per flow, address and IP.
 */
export async function issueCode(s: StepState, rt: StepRuntime, email: string, options: { resend: boolean; setEmail: boolean }): Promise<StepOutcome> {
  const { deps, now } = rt;
  const { store, limits, limiters, codes } = deps;
  const [sent, latest] = await Promise.all([store.countCodes(s.flow.id), options.resend ? store.latestCode(s.flow.id) : Promise.resolve(null)]);
  if (sent >= limits.codeSendsPerFlow) return flowError(429, 'signup.code.too_many_sends');
  if (latest) {
    const wait = Math.ceil((latest.createdAt.getTime() + limits.codeResendSeconds * 1000 - now.getTime()) / 1000);
    if (wait > 0) return flowError(429, 'signup.code.resend_wait', { seconds: wait }, wait);
  }
  const ipKey = `signup:send:ip:${rt.ip}`;
  const emailKey = `signup:send:email:${email}`;
  const code = codes.generate();
  const committed = await rt.commit(async (tx): Promise<{ locked: number } | { decoy: boolean }> => {
    // Every send counts against the address and the IP first, in this transaction; a locked key
    // refuses it (the limiters lock on the send after the allowed number: lib/composition/root.ts).
    // Keys in sorted order, as the limiter's own batches lock them (no deadlock on PostgreSQL).
    const emailState = await limiters.sendsPerEmail.recordFailure(emailKey, tx);
    const ipState = await limiters.sendsPerIp.recordFailure(ipKey, tx);
    const locked = ipState.locked ? ipState : emailState.locked ? emailState : null;
    if (locked) return { locked: locked.retryAfterSeconds ?? 60 };
    // Continuing an existing account: the code goes to its own address. A sign-up: an address
    // that already belongs to a finished account gets a decoy (never sent) and a notice.
    const existing = s.account ? null : await tx.findAccountByEmail(email);
    const decoy = existing !== null && existing.status !== 'pending';
    // Every code of the flow was counted above, before the claim that any insert goes with.
    if (sent > 0) await tx.retireCodes(s.flow.id, now);
    await tx.insertCode({
      flowId: s.flow.id,
      purpose: CODE_PURPOSE,
      email,
      codeHash: codes.hash({ flowId: s.flow.id, purpose: CODE_PURPOSE, code: decoy ? codes.generate() : code }),
      decoy,
      expiresAt: new Date(now.getTime() + limits.codeTtlSeconds * 1000),
      createdAt: now,
    });
    if (options.setEmail) await tx.updateFlow(s.flow.id, { email });
    // The mail commits with the code; the outbox worker sends it after the answer.
    if (decoy) await deps.mailer.queueExistingAccountNotice(tx, { to: email, locale: s.flow.locale, signInUrl: deps.links.signInNotice() });
    else {
      await deps.mailer.queueSignUpCode(tx, {
        to: email,
        locale: s.flow.locale,
        code,
        minutes: minutesFor(limits.codeTtlSeconds),
        link: s.flow.cookieBound ? deps.links.codeLink(s.flow.id, code) : null,
      });
    }
    return { decoy };
  });
  if (committed.lost) return { kind: 'lost' };
  if ('locked' in committed.value) {
    const retry = committed.value.locked;
    return flowError(429, 'signup.rate_limited', { minutes: minutesFor(retry) }, retry);
  }
  return { kind: 'ok', ...(options.resend ? { info: { id: 'signup.code.resent', context: { email } } } : {}) };
}
