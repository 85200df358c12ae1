import { normalizeEmail } from '../accounts/account';
import { checkNewPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../credentials/password-policy';
import { regionLocale, type RegionPolicy, type SignUpStepId } from '../regions/region-policy';
import { EARLIEST_BIRTH_DATE, isoDay, parseBirthDate } from './birth-date';
import type { FlowNode } from './flow';
import type { NodeKit } from './flow-nodes';
import { ACCOUNT_STEP_RULES, isMinor } from './readiness';
import type { SignUpDeps } from './sign-up-deps-types';
import type { AccountSnapshot, Feedback, FlowRecord, SignUpTx } from './sign-up-store';

/**
 * The sign-up step table. Rules as data: a flow runs `region` (until one is chosen) and then its
 * region's steps in their configured order; the next instruction is the first step that applies
 * to this person and is not done yet (readiness.ts says what "done" means for an account). Each
 * row says how the step is rendered and how a submission is validated and written: validation
 * first (nothing is written for bad input), then ONE transaction that first claims the flow
 * (optimistic version), so a repeated or concurrent submission changes nothing twice.
 *
 * | step                  | asks for                          | writes (one transaction)                         |
 * |-----------------------|-----------------------------------|--------------------------------------------------|
 * | region                | country/region (select)           | flow.region (until the account exists)           |
 * | email                 | email                             | flow.email, a hashed code (or a decoy + notice)  |
 * | email_code            | 6-digit code; resend; change email| the attempt; on success the pending account      |
 * | password              | new password (NIST, zxcvbn)       | argon2id hash                                    |
 * | birth_date            | date of birth                     | birth date; below the minimum age: refuse (the   |
 * |                       |                                   | pending account is deleted) or guardian step     |
 * | guardian_consent      | guardian's name, email, consent   | guardian consent (declared)                      |
 * | terms                 | one checkbox per document         | one acceptance per document (id, version, locale)|
 * | marketing_consent     | checkbox (opt-in or opt-out)      | consent record + account flag                    |
 * | profile_name          | name                              | account name                                     |
 * | identity_verification | nothing (placeholder)             | a PENDING identity verification                  |
 */

export type FlowStepId = 'region' | SignUpStepId;

export type StepState = {
  flow: FlowRecord;
  account: AccountSnapshot | null;
  policy: RegionPolicy | null;
  now: Date;
};

export type MessageRef = { id: string; context?: Record<string, string | number> };

export type StepOutcome =
  | { kind: 'ok'; info?: MessageRef }
  | {
      kind: 'rejected';
      status: number;
      fields?: Record<string, MessageRef[]>;
      messages?: MessageRef[];
      /** Values to show again; never secrets. */
      values?: Record<string, string>;
      strength?: number;
      retryAfterSeconds?: number;
    }
  | { kind: 'refused'; reason: MessageRef }
  | { kind: 'lost' };

export type StepRuntime = {
  deps: SignUpDeps;
  now: Date;
  ip: string;
  /** Runs `write` in one transaction after claiming the flow (and sliding its expiry). */
  commit<T>(write: (tx: SignUpTx) => Promise<T>): Promise<{ lost: true } | { lost: false; value: T }>;
};

export type Values = Record<string, string>;

export type StepDefinition = {
  id: FlowStepId;
  /** Whether the step is part of this person's flow at all. */
  applies(s: StepState): boolean;
  done(s: StepState): boolean;
  render(s: StepState, kit: NodeKit, deps: SignUpDeps, feedback: Feedback | null): FlowNode[];
  handle(s: StepState, values: Values, rt: StepRuntime): Promise<StepOutcome>;
  /**
   * The handler does no I/O before its one commit (no hash, no read outside the transaction), so
   * on a screen it may run inside the transaction of the step before it.
   */
  inline?: true;
};

export const CODE_PURPOSE = 'signup';
const EMAIL_MAX_LENGTH = 254;
const NAME_MAX_LENGTH = 100;
// Deliberately simple (HTML's own email check): the code we send is the real test.
const EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const reject = (status: number, fields: Record<string, MessageRef[]>, extra: Partial<Extract<StepOutcome, { kind: 'rejected' }>> = {}): StepOutcome => ({
  kind: 'rejected',
  status,
  fields,
  ...extra,
});
const field = (name: string, id: string, context?: Record<string, string | number>) => ({ [name]: [{ id, ...(context ? { context } : {}) }] });
const flowError = (status: number, id: string, context?: Record<string, string | number>, retryAfterSeconds?: number): StepOutcome => ({
  kind: 'rejected',
  status,
  messages: [{ id, ...(context ? { context } : {}) }],
  ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
});

export function parseEmail(raw: string | undefined): { ok: true; email: string } | { ok: false } {
  const value = (raw ?? '').trim();
  if (!value || value.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(value)) return { ok: false };
  return { ok: true, email: normalizeEmail(value) };
}

const ticked = (v: string | undefined) => v === 'true' || v === 'on' || v === '1' || v === 'yes';

/** Which regions a flow may choose from. */
export function offeredRegions(flow: FlowRecord, deps: SignUpDeps): RegionPolicy[] {
  const all = deps.regions.list();
  return flow.clientRegions ? all.filter((r) => flow.clientRegions?.includes(r.code)) : all;
}

const accountDone = (step: SignUpStepId) => (s: StepState) => s.account !== null && s.policy !== null && ACCOUNT_STEP_RULES[step].done(s.account, s.policy);
const afterAccount = (s: StepState) => s.account !== null;

function minutesFor(seconds: number) {
  return Math.max(1, Math.ceil(seconds / 60));
}

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
    // refuses it (the limiters lock on the send after the allowed number: lib/infra/sign-up-deps.ts).
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

const regionStep: StepDefinition = {
  id: 'region',
  applies: (s) => s.flow.region === null,
  done: (s) => s.flow.region !== null,
  render(s, kit, deps, feedback) {
    const chosen = feedback?.values.region ?? s.flow.region ?? '';
    return [
      kit.input(
        'region',
        {
          name: 'region',
          type: 'select',
          required: true,
          ...(chosen ? { value: chosen } : {}),
          options: offeredRegions(s.flow, deps).map((r) => ({ value: r.code, label: kit.label(`region.names.${r.code}`) })),
        },
        kit.label('region.label'),
      ),
      kit.text('region', 'region-hint', kit.message('signup.region.hint')),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const code = (values.region ?? '').trim().toUpperCase();
    if (!offeredRegions(s.flow, rt.deps).some((r) => r.code === code)) {
      return reject(400, field('region', 'signup.region.invalid'), { values: { region: code } });
    }
    if (s.account) return s.account.region === code ? { kind: 'ok' } : flowError(409, 'signup.region.fixed');
    const committed = await rt.commit((tx) => tx.updateFlow(s.flow.id, { region: code }));
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};

const emailStep: StepDefinition = {
  id: 'email',
  applies: () => true,
  done: (s) => s.account !== null || s.flow.email !== null,
  render(s, kit, _deps, feedback) {
    const value = feedback?.values.email ?? s.flow.email ?? '';
    return [
      kit.text('email', 'email-intro', kit.message('signup.email.intro')),
      kit.input('email', { name: 'email', type: 'email', required: true, autocomplete: 'email', maxlength: EMAIL_MAX_LENGTH, inputmode: 'email', ...(value ? { value } : {}) }, kit.label('signup.email.label')),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const parsed = parseEmail(values.email);
    if (!parsed.ok) return reject(400, field('email', 'signup.email.invalid'), { values: { email: (values.email ?? '').slice(0, EMAIL_MAX_LENGTH) } });
    return issueCode(s, rt, parsed.email, { resend: false, setEmail: true });
  },
};

const emailCodeStep: StepDefinition = {
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

const passwordStep: StepDefinition = {
  id: 'password',
  applies: afterAccount,
  done: accountDone('password'),
  render(_s, kit, _deps, feedback) {
    const node = kit.input(
      'password',
      { name: 'password', type: 'password', required: true, autocomplete: 'new-password', minlength: PASSWORD_MIN_LENGTH, maxlength: PASSWORD_MAX_LENGTH },
      kit.label('signup.password.label'),
    );
    if (feedback?.strength !== undefined) node.meta.strength = { score: feedback.strength, max: 4 };
    return [
      kit.text('password', 'password-rules', kit.message('signup.password.rules', 'info', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })),
      node,
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const account = s.account;
    if (!account) return flowError(409, 'signup.step_mismatch');
    const password = values.password ?? '';
    const check = checkNewPassword(password, [account.email, account.name ?? ''], rt.deps.passwordStrength);
    if (!check.ok) {
      const context: Record<string, number> | undefined =
        check.reason === 'too_short' ? { min: PASSWORD_MIN_LENGTH } : check.reason === 'too_long' ? { max: PASSWORD_MAX_LENGTH } : undefined;
      return reject(400, field('password', `signup.password.${check.reason}`, context), check.score === undefined ? {} : { strength: check.score });
    }
    // argon2id outside the transaction: it takes tens of milliseconds and holds no lock.
    const passwordHash = await rt.deps.hasher.hash(password);
    const committed = await rt.commit(async (tx) => {
      await tx.updateAccount(account.id, { passwordHash });
      await tx.recordStep(account.id, 'password', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};

const birthDateStep: StepDefinition = {
  id: 'birth_date',
  inline: true,
  applies: afterAccount,
  done: accountDone('birth_date'),
  render(s, kit, _deps, feedback) {
    const value = feedback?.values.birth_date;
    return [
      kit.text('birth_date', 'birth-date-intro', kit.message('signup.birth_date.intro')),
      kit.input(
        'birth_date',
        { name: 'birth_date', type: 'date', required: true, autocomplete: 'bday', min: EARLIEST_BIRTH_DATE, max: isoDay(s.now), ...(value ? { value } : {}) },
        kit.label('signup.birth_date.label'),
      ),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const { account, policy } = s;
    if (!account || !policy) return flowError(409, 'signup.step_mismatch');
    const raw = (values.birth_date ?? '').slice(0, 32);
    const parsed = parseBirthDate(raw, rt.now);
    if (!parsed.ok) {
      const context = parsed.problem === 'too_early' ? { date: EARLIEST_BIRTH_DATE } : undefined;
      return reject(400, field('birth_date', `signup.birth_date.${parsed.problem}`, context), { values: { birth_date: raw } });
    }
    const minor = isMinor(parsed.value, policy, rt.now);
    if (minor && policy.minimumAge?.below === 'refuse') {
      const years = policy.minimumAge.years;
      const committed = await rt.commit(async (tx) => {
        // Nothing of a refused sign-up is kept: the pending account goes with its email and steps.
        if (account.status === 'pending') await tx.deleteAccount(account.id);
        await tx.updateFlow(s.flow.id, { state: 'refused', accountId: account.status === 'pending' ? null : account.id });
      });
      return committed.lost ? { kind: 'lost' } : { kind: 'refused', reason: { id: 'signup.age.refused', context: { years } } };
    }
    const committed = await rt.commit(async (tx) => {
      await tx.updateAccount(account.id, { birthDate: parsed.value });
      await tx.recordStep(account.id, 'birth_date', 'signup');
    });
    if (committed.lost) return { kind: 'lost' };
    return minor ? { kind: 'ok', info: { id: 'signup.guardian.needed', context: { years: policy.minimumAge?.years ?? 0 } } } : { kind: 'ok' };
  },
};

const guardianStep: StepDefinition = {
  id: 'guardian_consent',
  inline: true,
  applies: (s) => s.account !== null && s.policy !== null && ACCOUNT_STEP_RULES.guardian_consent.applies(s.account, s.policy, s.now),
  done: accountDone('guardian_consent'),
  render(s, kit, _deps, feedback) {
    const v = feedback?.values ?? {};
    return [
      kit.text('guardian_consent', 'guardian-intro', kit.message('signup.guardian.intro', 'info', { years: s.policy?.minimumAge?.years ?? 0 })),
      kit.input('guardian_consent', { name: 'guardian_name', type: 'text', required: true, autocomplete: 'off', maxlength: NAME_MAX_LENGTH, ...(v.guardian_name ? { value: v.guardian_name } : {}) }, kit.label('signup.guardian.name')),
      kit.input(
        'guardian_consent',
        { name: 'guardian_email', type: 'email', required: true, autocomplete: 'off', maxlength: EMAIL_MAX_LENGTH, inputmode: 'email', ...(v.guardian_email ? { value: v.guardian_email } : {}) },
        kit.label('signup.guardian.email'),
      ),
      kit.input('guardian_consent', { name: 'guardian_confirm', type: 'checkbox', required: true }, kit.label('signup.guardian.confirm')),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const account = s.account;
    if (!account) return flowError(409, 'signup.step_mismatch');
    const name = (values.guardian_name ?? '').trim();
    const email = parseEmail(values.guardian_email);
    const fields: Record<string, { id: string }[]> = {};
    if (!validName(name)) fields.guardian_name = [{ id: 'signup.guardian.name_invalid' }];
    if (!email.ok) fields.guardian_email = [{ id: 'signup.email.invalid' }];
    else if (email.email === account.email) fields.guardian_email = [{ id: 'signup.guardian.email_same' }];
    if (!ticked(values.guardian_confirm)) fields.guardian_confirm = [{ id: 'signup.guardian.confirm_required' }];
    if (Object.keys(fields).length > 0 || !email.ok) {
      return reject(400, fields, { values: { guardian_name: name.slice(0, NAME_MAX_LENGTH), guardian_email: (values.guardian_email ?? '').slice(0, EMAIL_MAX_LENGTH) } });
    }
    const committed = await rt.commit(async (tx) => {
      await tx.recordGuardianConsent({ accountId: account.id, guardianName: name, guardianEmail: email.email });
      await tx.recordStep(account.id, 'guardian_consent', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};

const termsStep: StepDefinition = {
  id: 'terms',
  inline: true,
  applies: afterAccount,
  done: accountDone('terms'),
  render(s, kit, deps) {
    const policy = s.policy;
    if (!policy) return [];
    const nodes: FlowNode[] = [];
    const acceptedBefore = s.account?.acceptances.some((a) => a.region === policy.code) ?? false;
    nodes.push(kit.text('terms', 'terms-intro', kit.message(acceptedBefore ? 'signup.terms.updated' : 'signup.terms.intro')));
    for (const doc of policy.documents) {
      const context = { href: deps.links.document(policy.code, doc.id), version: doc.version };
      nodes.push(kit.input('terms', { name: `accept_${doc.id}`, type: 'checkbox', required: true }, kit.label(`legal.accept.${doc.id}`, context)));
    }
    nodes.push(kit.submit('continue', 'signup.action.accept'));
    return nodes;
  },
  async handle(s, values, rt) {
    const { account, policy } = s;
    if (!account || !policy) return flowError(409, 'signup.step_mismatch');
    const missing = policy.documents.filter((d) => !ticked(values[`accept_${d.id}`]));
    if (missing.length > 0) {
      return reject(400, Object.fromEntries(missing.map((d) => [`accept_${d.id}`, [{ id: 'signup.terms.required' }]])));
    }
    const locale = regionLocale(policy, s.flow.locale);
    const committed = await rt.commit(async (tx) => {
      for (const doc of policy.documents) {
        await tx.recordAcceptance({ accountId: account.id, region: policy.code, documentId: doc.id, version: doc.version, locale, source: 'signup' });
      }
      await tx.recordStep(account.id, 'terms', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};

const marketingStep: StepDefinition = {
  id: 'marketing_consent',
  inline: true,
  applies: afterAccount,
  done: accountDone('marketing_consent'),
  render(s, kit) {
    const preTicked = s.policy?.marketing === 'opt_out';
    return [
      kit.text('marketing_consent', 'marketing-intro', kit.message('signup.marketing.intro')),
      kit.input('marketing_consent', { name: 'marketing', type: 'checkbox', ...(preTicked ? { value: 'true' } : {}) }, kit.label('signup.marketing.label')),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const { account, policy } = s;
    if (!account || !policy || policy.marketing === 'none') return flowError(409, 'signup.step_mismatch');
    const granted = ticked(values.marketing);
    const method = policy.marketing;
    const committed = await rt.commit(async (tx) => {
      await tx.updateAccount(account.id, { marketingOptIn: granted });
      await tx.recordConsent({ accountId: account.id, purpose: 'marketing', granted, method, region: policy.code, locale: s.flow.locale });
      await tx.recordStep(account.id, 'marketing_consent', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};

function validName(name: string): boolean {
  return name.length >= 1 && [...name].length <= NAME_MAX_LENGTH && !/[\u0000-\u001f\u007f<>]/.test(name);
}

const profileNameStep: StepDefinition = {
  id: 'profile_name',
  inline: true,
  applies: afterAccount,
  done: accountDone('profile_name'),
  render(s, kit, _deps, feedback) {
    const value = feedback?.values.name ?? s.account?.name ?? '';
    return [
      kit.input('profile_name', { name: 'name', type: 'text', required: true, autocomplete: 'name', maxlength: NAME_MAX_LENGTH, ...(value ? { value } : {}) }, kit.label('signup.name.label')),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const account = s.account;
    if (!account) return flowError(409, 'signup.step_mismatch');
    const name = (values.name ?? '').trim().normalize('NFC');
    if (!validName(name)) return reject(400, field('name', 'signup.name.invalid'), { values: { name: name.slice(0, NAME_MAX_LENGTH) } });
    const committed = await rt.commit(async (tx) => {
      await tx.updateAccount(account.id, { name });
      await tx.recordStep(account.id, 'profile_name', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};

/** Placeholder: no provider is integrated yet. Continuing records a PENDING verification. */
const identityVerificationStep: StepDefinition = {
  id: 'identity_verification',
  inline: true,
  applies: afterAccount,
  done: accountDone('identity_verification'),
  render(_s, kit) {
    return [
      kit.text('identity_verification', 'kyc-intro', kit.message('signup.kyc.intro')),
      kit.text('identity_verification', 'kyc-placeholder', kit.message('signup.kyc.placeholder')),
      kit.submit('continue', 'signup.action.start_verification'),
    ];
  },
  async handle(s, _values, rt) {
    const account = s.account;
    if (!account) return flowError(409, 'signup.step_mismatch');
    const committed = await rt.commit(async (tx) => {
      await tx.recordIdentityVerification({ accountId: account.id, method: 'placeholder' });
      await tx.recordStep(account.id, 'identity_verification', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok', info: { id: 'signup.kyc.pending' } };
  },
};

/**
 * The messages each step shows (besides errors shared by all): `config check` reports a region
 * whose locales lack one of them. Documents add legal.documents.<id> and legal.accept.<id>.
 */
export const STEP_MESSAGE_IDS: Record<FlowStepId, readonly string[]> = {
  region: ['region.label', 'signup.region.hint', 'signup.region.invalid'],
  email: ['signup.email.intro', 'signup.email.label', 'signup.email.invalid', 'mail.signupCode.subject', 'mail.existingAccount.subject'],
  email_code: ['signup.code.sent', 'signup.code.label', 'signup.code.wrong', 'signup.code.locked', 'signup.code.expired', 'signup.action.verify', 'signup.action.resend'],
  password: ['signup.password.label', 'signup.password.rules', 'signup.password.too_short', 'signup.password.common', 'signup.password.weak'],
  birth_date: ['signup.birth_date.intro', 'signup.birth_date.label', 'signup.birth_date.future', 'signup.age.refused'],
  guardian_consent: ['signup.guardian.intro', 'signup.guardian.name', 'signup.guardian.email', 'signup.guardian.confirm'],
  terms: ['signup.terms.intro', 'signup.terms.updated', 'signup.terms.required', 'signup.action.accept'],
  marketing_consent: ['signup.marketing.intro', 'signup.marketing.label'],
  profile_name: ['signup.name.label', 'signup.name.invalid'],
  identity_verification: ['signup.kyc.intro', 'signup.kyc.placeholder', 'signup.kyc.pending'],
};

export const STEP_TABLE: Record<FlowStepId, StepDefinition> = {
  region: regionStep,
  email: emailStep,
  email_code: emailCodeStep,
  password: passwordStep,
  birth_date: birthDateStep,
  guardian_consent: guardianStep,
  terms: termsStep,
  marketing_consent: marketingStep,
  profile_name: profileNameStep,
  identity_verification: identityVerificationStep,
};

/** The steps of this flow, in order: region first, then the region's own. */
export function stepsOf(s: StepState): StepDefinition[] {
  const own = (s.policy?.steps ?? ['email', 'email_code']).map((id) => STEP_TABLE[id]);
  return [regionStep, ...own];
}

/** The next instruction: the first step that applies and is not done; null when all are done. */
export function nextStep(s: StepState): StepDefinition | null {
  return stepsOf(s).find((step) => step.applies(s) && !step.done(s)) ?? null;
}
