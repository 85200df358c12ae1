import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors';
import type { Flow, FlowNode } from '../domain/flows/flow';
import { openMigratedTestDatabase, TEST_BACKENDS, type MigratedTestDatabase } from './db/test-databases';
import { recordOperatorProvisioning } from './db/operator-provisioning';
import { createSignUpTestKit, demoConfig, type SignUpTestKit } from './sign-up-test-kit';

// The orchestrator end to end on a real SQLite file: step table, every handler's validation,
// idempotency, rate limits, readiness. Mail is recorded; the OIDC interaction is faked.

const PASSWORD = 'violet-harbor-lantern-91';
const browser = (id: string) => ({ ip: '198.51.100.7', boundFlowIds: [id] });

let database: MigratedTestDatabase;
let kit: SignUpTestKit;
let n = 0;
const email = (label: string) => `${label}-${++n}@example.com`;

function defineSignUpTests(provider: 'sqlite' | 'postgresql') {
  beforeAll(async () => {
    database = await openMigratedTestDatabase(provider);
    kit = createSignUpTestKit(database.db);
  });

  afterAll(async () => {
    await database.close();
  });

  function stepOf(flow: Flow): string | undefined {
    const node = flow.ui.nodes.find((x) => x.type === 'input' && x.attributes.name === 'step');
    return node?.type === 'input' ? node.attributes.value : undefined;
  }

  function input(flow: Flow, name: string): Extract<FlowNode, { type: 'input' }> | undefined {
    return flow.ui.nodes.find((x): x is Extract<FlowNode, { type: 'input' }> => x.type === 'input' && x.attributes.name === name);
  }

  function fieldErrors(flow: Flow, name: string): string[] {
    return (input(flow, name)?.messages ?? []).filter((m) => m.type === 'error').map((m) => m.id);
  }

  async function submit(flow: Flow, values: Record<string, string>, ip = '198.51.100.7') {
    return kit.service.submit(flow.id, { step: stepOf(flow) ?? '', ...values }, { ip, boundFlowIds: [flow.id] });
  }

  /** A flow advanced to just after the email code (pending account exists). */
  async function verifiedFlow(region: string, address = email(region.toLowerCase()), locale = 'en', ip = '198.51.100.7') {
    let flow = await kit.service.start({ locale, regionHint: region, cookieBound: true, ip });
    flow = (await submit(flow, { email: address }, ip)).flow;
    flow = (await submit(flow, { code: kit.codeFor(address) }, ip)).flow;
    return { flow, address };
  }

  async function accountOf(address: string) {
    return database.db.account.findUnique({ where: { email: address }, include: { steps: true, termsAcceptances: true, consents: true } });
  }

  describe('step table', () => {
    it('runs region first, then the region steps in their configured order (JP)', async () => {
      let flow = await kit.service.start({ locale: 'ja', cookieBound: true, ip: '198.51.100.7' });
      expect(stepOf(flow)).toBe('region');
      expect(input(flow, 'region')?.attributes.options?.map((o) => o.value)).toEqual(['JP', 'TW', 'HK', 'US', 'DE']);
      expect(input(flow, 'region')?.meta.label).toMatchObject({ id: 'region.label', text: '国・地域' });
      flow = (await submit(flow, { region: 'JP' })).flow;
      expect(stepOf(flow)).toBe('email');
      expect(input(flow, 'email')?.attributes).toMatchObject({ type: 'email', autocomplete: 'email', required: true });
      const address = email('jp-order');
      flow = (await submit(flow, { email: address })).flow;
      expect(stepOf(flow)).toBe('email_code');
      expect(input(flow, 'code')?.attributes).toMatchObject({ autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6 });
      flow = (await submit(flow, { code: kit.codeFor(address) })).flow;
      expect(stepOf(flow)).toBe('password');
      expect(input(flow, 'password')?.attributes).toMatchObject({ type: 'password', autocomplete: 'new-password', minlength: 15, maxlength: 128 });
      flow = (await submit(flow, { password: PASSWORD })).flow;
      expect(stepOf(flow)).toBe('birth_date');
      expect(input(flow, 'birth_date')?.attributes).toMatchObject({ type: 'date', autocomplete: 'bday', max: '2026-11-22', min: '1900-01-01' });
      flow = (await submit(flow, { birth_date: '1990-04-01' })).flow;
      expect(stepOf(flow)).toBe('terms');
      const terms = input(flow, 'accept_terms');
      expect(terms?.meta.label).toMatchObject({ id: 'legal.accept.terms', context: { href: '/legal/JP/terms', version: '2026-01' } });
      expect(terms?.meta.label?.text).toBe('利用規約(第2026-01版)に同意します');
      flow = (await submit(flow, { accept_terms: 'true' })).flow;
      expect(flow.state).toBe('complete');
      expect(flow.continue_to).toBe('/');
      const account = await accountOf(address);
      expect(account).toMatchObject({ status: 'active', emailVerified: true, countryRegionCode: 'JP', birthDate: '1990-04-01', locale: 'ja' });
      expect(account?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(account?.termsAcceptances).toEqual([expect.objectContaining({ region: 'JP', documentId: 'terms', version: '2026-01', locale: 'ja', source: 'signup' })]);
    });

    it('preselects the client’s only region and offers only the client’s regions', async () => {
      const only = await kit.service.start({ locale: 'zh-TW', clientRegions: ['TW'], cookieBound: true, ip: '198.51.100.7' });
      expect(only.region).toBe('TW');
      expect(stepOf(only)).toBe('email');
      const two = await kit.service.start({ locale: 'zh-TW', clientRegions: ['TW', 'HK'], regionHint: 'US', cookieBound: true, ip: '198.51.100.7' });
      expect(two.region).toBeNull();
      expect(input(two, 'region')?.attributes.options?.map((o) => o.value)).toEqual(['TW', 'HK']);
      const refused = await submit(two, { region: 'US' });
      expect(refused.status).toBe(400);
      expect(fieldErrors(refused.flow, 'region')).toEqual(['signup.region.invalid']);
    });

    it('asks TW for marketing consent, unticked (opt-in), after the terms', async () => {
      const verified = await verifiedFlow('TW', email('tw'), 'zh-TW');
      const address = verified.address;
      let flow = verified.flow;
      flow = (await submit(flow, { password: PASSWORD })).flow;
      expect(stepOf(flow)).toBe('terms');
      flow = (await submit(flow, { accept_terms: 'true' })).flow;
      expect(stepOf(flow)).toBe('marketing_consent');
      expect(input(flow, 'marketing')?.attributes.value).toBeUndefined();
      flow = (await submit(flow, { marketing: 'true' })).flow;
      expect(flow.state).toBe('complete');
      const account = await accountOf(address);
      expect(account?.marketingOptIn).toBe(true);
      expect(account?.consents).toEqual([expect.objectContaining({ purpose: 'marketing', granted: true, method: 'opt_in', region: 'TW', locale: 'zh-TW' })]);
    });

    it('asks HK for a name, two documents, a ticked marketing box (opt-out) and records a PENDING identity verification', async () => {
      const verified = await verifiedFlow('HK');
      const address = verified.address;
      let flow = verified.flow;
      flow = (await submit(flow, { password: PASSWORD })).flow;
      expect(stepOf(flow)).toBe('profile_name');
      expect(input(flow, 'name')?.attributes.autocomplete).toBe('name');
      flow = (await submit(flow, { name: '  陳大文 ' })).flow;
      const onlyOne = await submit(flow, { accept_terms: 'true' });
      expect(onlyOne.status).toBe(400);
      expect(fieldErrors(onlyOne.flow, 'accept_privacy')).toEqual(['signup.terms.required']);
      flow = (await submit(flow, { accept_terms: 'true', accept_privacy: 'true' })).flow;
      expect(input(flow, 'marketing')?.attributes.value).toBe('true');
      flow = (await submit(flow, {})).flow;
      expect(stepOf(flow)).toBe('identity_verification');
      flow = (await submit(flow, {})).flow;
      expect(flow.state).toBe('complete');
      const account = await accountOf(address);
      expect(account).toMatchObject({ name: '陳大文', marketingOptIn: false });
      expect(account?.consents[0]).toMatchObject({ granted: false, method: 'opt_out' });
      expect(await database.db.identityVerification.findMany({ where: { accountId: account!.id } })).toEqual([expect.objectContaining({ status: 'pending', method: 'placeholder' })]);
    });
  });

  describe('email step', () => {
    it('refuses a malformed email with a localized error and writes nothing', async () => {
      const flow = await kit.service.start({ locale: 'ja', regionHint: 'JP', cookieBound: true, ip: '198.51.100.8' });
      const mailBefore = kit.mail.length;
      for (const bad of ['not-an-email', 'a@b', 'two@@example.com', ' ', `${'x'.repeat(250)}@example.com`]) {
        const result = await submit(flow, { email: bad });
        expect(result.status).toBe(400);
        expect(input(result.flow, 'email')?.messages[0]).toMatchObject({ id: 'signup.email.invalid', type: 'error' });
        expect(input(result.flow, 'email')?.messages[0]?.text).toContain('メールアドレス');
      }
      expect(kit.mail.length).toBe(mailBefore);
      expect(await database.db.emailVerificationCode.count({ where: { flowId: flow.id } })).toBe(0);
      expect((await database.db.signUpFlow.findUnique({ where: { id: flow.id } }))?.email).toBeNull();
    });

    it('stores the code hashed, never in clear, and mails it with a link for browser flows', async () => {
      const address = email('hash');
      const flow = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.8' });
      await submit(flow, { email: address });
      const code = kit.codeFor(address);
      expect(code).toMatch(/^\d{6}$/);
      const rows = await database.db.emailVerificationCode.findMany({ where: { flowId: flow.id } });
      expect(rows).toHaveLength(1);
      expect(rows[0]?.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0]?.codeHash).not.toContain(code);
      expect(rows[0]).toMatchObject({ purpose: 'signup', attempts: 0, decoy: false });
      expect(rows[0]!.expiresAt.getTime() - kit.now().getTime()).toBe(600_000);
      const sent = kit.mail.at(-1);
      expect(sent).toMatchObject({ kind: 'code', to: address, link: `https://id.example.com/signup/${flow.id}/verify?code=${code}` });
    });

    it('does not reveal an existing account: same instruction, a notice instead of a code, no code ever works', async () => {
      const { address } = await verifiedFlow('US', email('taken'));
      await database.db.account.update({ where: { email: address }, data: { status: 'active' } });
      const fresh = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.9' });
      const other = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.9' });
      const taken = await submit(fresh, { email: address }, '198.51.100.9');
      const free = await submit(other, { email: email('free') }, '198.51.100.9');
      expect(taken.status).toBe(free.status);
      const shape = (f: Flow) => f.ui.nodes.map((x) => [x.type, x.group, x.type === 'input' ? x.attributes.name : x.attributes.id]);
      expect(shape(taken.flow)).toEqual(shape(free.flow));
      expect(kit.mail.filter((m) => m.to === address).at(-1)).toMatchObject({ kind: 'notice', signInUrl: 'https://id.example.com/' });
      const guess = await submit(taken.flow, { code: '123456' }, '198.51.100.9');
      expect(guess.status).toBe(400);
      expect(await database.db.account.count({ where: { email: address } })).toBe(1);
    });

    it('is idempotent: the same email twice (also at once) sends one code and keeps one', async () => {
      const address = email('twice');
      const flow = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.10' });
      const [a, b] = await Promise.all([submit(flow, { email: address }, '198.51.100.10'), submit(flow, { email: address }, '198.51.100.10')]);
      const again = await submit(flow, { email: address }, '198.51.100.10');
      expect([a.status, b.status, again.status]).toEqual([200, 200, 200]);
      expect(stepOf(again.flow)).toBe('email_code');
      expect(kit.mail.filter((m) => m.to === address)).toHaveLength(1);
      expect(await database.db.emailVerificationCode.count({ where: { flowId: flow.id } })).toBe(1);
    });
  });

  describe('email code step', () => {
    it('locks the code after five wrong attempts; even the right code is refused then; a new code works', async () => {
      const address = email('five');
      let flow = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.11' });
      flow = (await submit(flow, { email: address }, '198.51.100.11')).flow;
      const right = kit.codeFor(address);
      const wrong = right === '000000' ? '111111' : '000000';
      const statuses: number[] = [];
      const remaining: unknown[] = [];
      for (let i = 0; i < 5; i += 1) {
        const r = await submit(flow, { code: wrong }, '198.51.100.11');
        statuses.push(r.status);
        remaining.push(input(r.flow, 'code')?.messages[0]?.context?.remaining ?? input(r.flow, 'code')?.messages[0]?.id);
      }
      expect(statuses).toEqual([400, 400, 400, 400, 429]);
      expect(remaining).toEqual([4, 3, 2, 1, 'signup.code.locked']);
      const locked = await submit(flow, { code: right }, '198.51.100.11');
      expect(locked.status).toBe(429);
      expect(fieldErrors(locked.flow, 'code')).toEqual(['signup.code.locked']);
      expect(await accountOf(address)).toBeNull();
      kit.advance(61);
      const resent = await submit(flow, { action: 'resend' }, '198.51.100.11');
      expect(resent.status).toBe(200);
      expect(resent.flow.ui.messages.map((m) => m.id)).toContain('signup.code.resent');
      const ok = await submit(flow, { code: kit.codeFor(address) }, '198.51.100.11');
      expect(stepOf(ok.flow)).toBe('password');
    });

    it('refuses an expired code with 410', async () => {
      const address = email('expired');
      let flow = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.12' });
      flow = (await submit(flow, { email: address }, '198.51.100.12')).flow;
      kit.advance(601);
      const r = await submit(flow, { code: kit.codeFor(address) }, '198.51.100.12');
      expect(r.status).toBe(410);
      expect(fieldErrors(r.flow, 'code')).toEqual(['signup.code.expired']);
      expect(await accountOf(address)).toBeNull();
    });

    it('throttles resends (60 s) and sends per flow', async () => {
      const address = email('resend');
      let flow = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.13' });
      flow = (await submit(flow, { email: address }, '198.51.100.13')).flow;
      const early = await submit(flow, { action: 'resend' }, '198.51.100.13');
      expect(early.status).toBe(429);
      expect(early.retryAfterSeconds).toBe(60);
      expect(early.flow.ui.messages[0]).toMatchObject({ id: 'signup.code.resend_wait', context: { seconds: 60 } });
    });

    it('refuses to start more flows from one IP than allowed in 10 minutes, and keeps no flow of a refused start', async () => {
      const capped = createSignUpTestKit(database.db, { limits: { flows_per_ip: 2 }, start: new Date('2026-11-23T03:00:00.000Z') });
      const ip = '203.0.113.200';
      const before = await database.db.signUpFlow.count();
      await capped.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip });
      await capped.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip });
      const refused = await capped.service.start({ locale: 'ja', regionHint: 'US', cookieBound: true, ip }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ code: 'signup.rate_limited', status: 429, details: { minutes: 10, retryAfterSeconds: 600 } });
      expect(await database.db.signUpFlow.count()).toBe(before + 2);
      expect(await capped.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '203.0.113.201' })).toMatchObject({ state: 'active' });
      capped.advance(601);
      expect(await capped.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip })).toMatchObject({ state: 'active' });
    });

    it('throttles code sends per address across flows', async () => {
      const address = email('bomb');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const flow = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: `203.0.113.${i}` });
        statuses.push((await submit(flow, { email: address }, `203.0.113.${i}`)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    });

    it('is idempotent: the right code submitted twice at once creates one account', async () => {
      const address = email('double-code');
      let flow = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.14' });
      flow = (await submit(flow, { email: address }, '198.51.100.14')).flow;
      const code = kit.codeFor(address);
      const results = await Promise.all([submit(flow, { code }, '198.51.100.14'), submit(flow, { code }, '198.51.100.14')]);
      const later = await submit(flow, { code }, '198.51.100.14');
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      expect([...results.map((r) => stepOf(r.flow)), stepOf(later.flow)]).toEqual(['password', 'password', 'password']);
      expect(await database.db.account.count({ where: { email: address } })).toBe(1);
    });
  });

  describe('password step', () => {
    it('refuses short, common and guessable passwords with the strength score; accepts a long passphrase', async () => {
      const { flow, address } = await verifiedFlow('US');
      const short = await submit(flow, { password: 'short-pass' });
      expect(short.status).toBe(400);
      expect(input(short.flow, 'password')?.messages[0]).toMatchObject({ id: 'signup.password.too_short', context: { min: 15 } });
      const common = await submit(flow, { password: 'passwordpassword' });
      expect(fieldErrors(common.flow, 'password')).toEqual(['signup.password.common']);
      expect(input(common.flow, 'password')?.meta.strength).toEqual({ score: 0, max: 4 });
      expect(input(common.flow, 'password')?.attributes.value).toBeUndefined();
      const repetitive = await submit(flow, { password: 'aaaaaaaaaaaaaaaaaaaa' });
      expect(fieldErrors(repetitive.flow, 'password')).toEqual(['signup.password.weak']);
      const own = await submit(flow, { password: `${address}${address}` });
      expect(fieldErrors(own.flow, 'password')).toEqual(['signup.password.weak']);
      expect((await accountOf(address))?.passwordHash).toBeNull();
      const ok = await submit(flow, { password: 'a'.repeat(3) + ' correct horse battery staple ' + '🙂'.repeat(30) });
      expect(ok.status).toBe(200);
      expect((await accountOf(address))?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });

    it('is idempotent under a double submission: one hash written, same next step', async () => {
      const { flow, address } = await verifiedFlow('US');
      const [a, b] = await Promise.all([submit(flow, { password: PASSWORD }), submit(flow, { password: PASSWORD })]);
      expect([stepOf(a.flow), stepOf(b.flow)]).toEqual(['birth_date', 'birth_date']);
      const account = await accountOf(address);
      expect(account?.steps.filter((s) => s.step === 'password')).toHaveLength(1);
    });
  });

  describe('birth date step', () => {
    it('refuses malformed, impossible, future and too early dates', async () => {
      let { flow } = await verifiedFlow('US');
      flow = (await submit(flow, { password: PASSWORD })).flow;
      const cases: [string, string][] = [
        ['22/11/1990', 'signup.birth_date.invalid'],
        ['2001-02-29', 'signup.birth_date.invalid'],
        ['2026-11-23', 'signup.birth_date.future'],
        ['1899-12-31', 'signup.birth_date.too_early'],
      ];
      for (const [value, id] of cases) {
        const r = await submit(flow, { birth_date: value });
        expect(r.status).toBe(400);
        expect(fieldErrors(r.flow, 'birth_date')).toEqual([id]);
        expect(input(r.flow, 'birth_date')?.attributes.value).toBe(value);
      }
      const early = await submit(flow, { birth_date: '1899-12-31' });
      expect(input(early.flow, 'birth_date')?.messages[0]?.text).toBe('Enter a date on or after January 1, 1900.');
    });

    it('refuses an under-age person where the region refuses, and keeps nothing of the attempt (US, 13)', async () => {
      const verified = await verifiedFlow('US');
      const address = verified.address;
      let flow = verified.flow;
      flow = (await submit(flow, { password: PASSWORD })).flow;
      const r = await submit(flow, { birth_date: '2014-01-01' });
      expect(r.status).toBe(200);
      expect(r.flow.state).toBe('refused');
      expect(r.flow.ui.nodes[0]).toMatchObject({ type: 'text', attributes: { text: { id: 'signup.age.refused', type: 'error', context: { years: 13 } } } });
      expect(await accountOf(address)).toBeNull();
      const again = await submit(r.flow, { birth_date: '1990-01-01' });
      expect(again.flow.state).toBe('refused');
      expect(await accountOf(address)).toBeNull();
    });

    it('turns 13 on the birthday (not a day earlier)', async () => {
      let { flow } = await verifiedFlow('US');
      flow = (await submit(flow, { password: PASSWORD })).flow;
      expect((await submit(flow, { birth_date: '2013-11-22' })).flow.state).toBe('active');
    });

    it('asks a guardian’s consent below the minimum age where the region allows it (DE, 16)', async () => {
      const verified = await verifiedFlow('DE');
      const address = verified.address;
      let flow = verified.flow;
      flow = (await submit(flow, { password: PASSWORD })).flow;
      flow = (await submit(flow, { birth_date: '2012-05-05' })).flow;
      expect(stepOf(flow)).toBe('guardian_consent');
      expect(flow.ui.messages.map((m) => m.id)).toContain('signup.guardian.needed');
      const bad = await submit(flow, { guardian_name: '', guardian_email: address });
      expect(bad.status).toBe(400);
      expect(fieldErrors(bad.flow, 'guardian_name')).toEqual(['signup.guardian.name_invalid']);
      expect(fieldErrors(bad.flow, 'guardian_email')).toEqual(['signup.guardian.email_same']);
      expect(fieldErrors(bad.flow, 'guardian_confirm')).toEqual(['signup.guardian.confirm_required']);
      flow = (await submit(flow, { guardian_name: 'Petra Muster', guardian_email: 'petra@example.de', guardian_confirm: 'true' })).flow;
      expect(stepOf(flow)).toBe('terms');
      flow = (await submit(flow, { accept_terms: 'true', accept_privacy: 'true' })).flow;
      flow = (await submit(flow, {})).flow;
      expect(flow.state).toBe('complete');
      const account = await accountOf(address);
      expect(account?.marketingOptIn).toBe(false);
      expect(await database.db.guardianConsent.findMany({ where: { accountId: account!.id } })).toEqual([
        expect.objectContaining({ guardianName: 'Petra Muster', guardianEmail: 'petra@example.de', status: 'declared' }),
      ]);
    });

    it('skips the guardian step for an adult in the same region', async () => {
      let { flow } = await verifiedFlow('DE');
      flow = (await submit(flow, { password: PASSWORD })).flow;
      flow = (await submit(flow, { birth_date: '1980-05-05' })).flow;
      expect(stepOf(flow)).toBe('terms');
    });
  });

  describe('flow rules', () => {
    it('answers an out-of-order submission with 409, a done step with the current instruction', async () => {
      const { flow } = await verifiedFlow('US');
      const ahead = await kit.service.submit(flow.id, { step: 'terms', accept_terms: 'true' }, browser(flow.id));
      expect(ahead.status).toBe(409);
      expect(ahead.flow.ui.messages.map((m) => m.id)).toEqual(['signup.step_mismatch']);
      const behind = await kit.service.submit(flow.id, { step: 'email', email: 'someone@example.com' }, browser(flow.id));
      expect(behind.status).toBe(200);
      expect(stepOf(behind.flow)).toBe('password');
    });

    it('fixes the region once the account exists', async () => {
      const { flow } = await verifiedFlow('US');
      const r = await kit.service.submit(flow.id, { step: 'region', region: 'JP' }, browser(flow.id));
      expect(r.status).toBe(409);
      expect(r.flow.region).toBe('US');
    });

    it('binds browser flows to their cookie, expires flows, refuses unknown ids', async () => {
      const flow = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.15' });
      const status = async (id: string, bound: string[] | null) =>
        kit.service.submit(id, { step: 'email', email: email('bind') }, { ip: '198.51.100.15', boundFlowIds: bound }).then(
          (r) => r.status,
          (e: AppError) => e.status,
        );
      expect(await status(flow.id, null)).toBe(403);
      expect(await status(flow.id, ['another-flow-id-0000000000'])).toBe(403);
      expect(await status('unknown-flow-id-00000000000', null)).toBe(404);
      const native = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: false, ip: '198.51.100.15' });
      kit.advance(3601);
      expect(await status(native.id, null)).toBe(410);
      expect(await kit.service.get(native.id)).toBeNull();
    });

    it('resumes a sign-up left after the email code from a new flow (another browser): done steps are skipped', async () => {
      const verified = await verifiedFlow('JP', email('resume'), 'ja');
      const address = verified.address;
      await submit(verified.flow, { password: PASSWORD });
      let again = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.16' });
      again = (await submit(again, { email: address }, '198.51.100.16')).flow;
      const resumed = await submit(again, { code: kit.codeFor(address) }, '198.51.100.16');
      expect(stepOf(resumed.flow)).toBe('birth_date');
      expect(resumed.flow.region).toBe('JP');
      expect(resumed.flow.ui.messages.map((m) => m.id)).toContain('signup.region.kept');
      expect(await database.db.account.count({ where: { email: address } })).toBe(1);
    });

    it('finishes the interaction with the new account and continues into it', async () => {
      let flow = await kit.service.start({ locale: 'en', regionHint: 'US', interactionUid: 'uid-complete', clientRegions: ['US', 'JP'], cookieBound: true, ip: '198.51.100.17' });
      expect(flow.ui.nodes.find((x) => x.group === 'navigation')).toMatchObject({ type: 'a', attributes: { href: '/interaction/uid-complete?mode=signin' } });
      const address = email('interaction');
      flow = (await submit(flow, { email: address })).flow;
      flow = (await submit(flow, { code: kit.codeFor(address) })).flow;
      expect(flow.ui.nodes.find((x) => x.group === 'navigation')).toBeUndefined();
      flow = (await submit(flow, { password: PASSWORD })).flow;
      flow = (await submit(flow, { birth_date: '1970-01-01' })).flow;
      flow = (await submit(flow, { accept_terms: 'true', accept_privacy: 'true' })).flow;
      expect(flow).toMatchObject({ state: 'complete', continue_to: 'https://id.example.com/oidc/auth/uid-complete' });
      const account = await accountOf(address);
      expect(kit.finished.at(-1)).toEqual({ uid: 'uid-complete', result: { accountId: account?.id } });
      const twice = await submit(flow, {});
      expect(twice.flow.state).toBe('complete');
      expect(kit.finished.filter((f) => f.uid === 'uid-complete')).toHaveLength(1);
    });

    it('still creates the account when the interaction expired meanwhile, and says so instead of returning to the app', async () => {
      let flow = await kit.service.start({ locale: 'ja', regionHint: 'US', interactionUid: 'expired-interaction', cookieBound: true, ip: '198.51.100.18' });
      const address = email('late');
      flow = (await submit(flow, { email: address })).flow;
      flow = (await submit(flow, { code: kit.codeFor(address) })).flow;
      flow = (await submit(flow, { password: PASSWORD })).flow;
      flow = (await submit(flow, { birth_date: '1970-01-01' })).flow;
      flow = (await submit(flow, { accept_terms: 'true', accept_privacy: 'true' })).flow;
      expect(flow).toMatchObject({ state: 'complete', continue_to: '/' });
      expect(flow.ui.messages.map((m) => m.id)).toContain('signup.complete.interaction_expired');
      expect((await accountOf(address))?.status).toBe('active');
      // Read again later, the flow says the same.
      const again = await kit.service.get(flow.id);
      expect(again).toMatchObject({ state: 'complete', continue_to: '/' });
      expect(again?.ui.messages.map((m) => m.id)).toContain('signup.complete.interaction_expired');
    });
  });

  describe('screens (steps asked for together)', () => {
    /** Submits as the web form does: every hidden input of the instruction, plus `values`. */
    async function submitScreen(flow: Flow, values: Record<string, string>) {
      const hidden = flow.ui.nodes.flatMap((x) => (x.type === 'input' && x.attributes.type === 'hidden' ? [[x.attributes.name, x.attributes.value ?? '']] : []));
      return kit.service.submit(flow.id, { ...Object.fromEntries(hidden), ...values }, browser(flow.id));
    }
    const inputNames = (flow: Flow) => flow.ui.nodes.flatMap((x) => (x.type === 'input' && x.attributes.type !== 'hidden' && x.attributes.type !== 'submit' ? [x.attributes.name] : []));
    const submits = (flow: Flow) => flow.ui.nodes.filter((x) => x.type === 'input' && x.attributes.type === 'submit');

    it('asks for the US password, birth date and terms in one instruction with one button, and one submission finishes', async () => {
      const { flow, address } = await verifiedFlow('US');
      expect(stepOf(flow)).toBe('password');
      expect(input(flow, 'steps')?.attributes).toMatchObject({ type: 'hidden', value: 'password,birth_date,terms' });
      expect(inputNames(flow)).toEqual(['password', 'birth_date', 'accept_terms', 'accept_privacy']);
      expect(submits(flow)).toHaveLength(1);
      expect(submits(flow)[0]).toMatchObject({ meta: { label: { id: 'signup.action.accept' } } });
      expect(new Set(flow.ui.nodes.map((x) => x.group))).toEqual(new Set(['default', 'password', 'birth_date', 'terms']));
      const done = await submitScreen(flow, { password: PASSWORD, birth_date: '1985-06-30', accept_terms: 'on', accept_privacy: 'on' });
      expect(done).toMatchObject({ status: 200, flow: { state: 'complete' } });
      const account = await accountOf(address);
      expect(account).toMatchObject({ status: 'active', birthDate: '1985-06-30' });
      expect(account?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(account?.steps.map((x) => x.step).sort()).toEqual(['birth_date', 'email', 'email_code', 'password', 'terms']);
      expect(account?.termsAcceptances.map((a) => a.documentId).sort()).toEqual(['privacy', 'terms']);
      const again = await submitScreen(flow, { password: PASSWORD, birth_date: '1985-06-30', accept_terms: 'on', accept_privacy: 'on' });
      expect(again).toMatchObject({ status: 200, flow: { state: 'complete' } });
      expect((await accountOf(address))?.steps.filter((x) => x.step === 'password')).toHaveLength(1);
    });

    it('keeps what was done when a later step of the screen is refused, and shows the rest again with the error and the typed date', async () => {
      const { flow, address } = await verifiedFlow('US');
      const future = await submitScreen(flow, { password: PASSWORD, birth_date: '2031-01-01', accept_terms: 'on' });
      expect(future.status).toBe(400);
      expect(stepOf(future.flow)).toBe('birth_date');
      expect(input(future.flow, 'steps')?.attributes.value).toBe('birth_date,terms');
      expect(inputNames(future.flow)).toEqual(['birth_date', 'accept_terms', 'accept_privacy']);
      expect(fieldErrors(future.flow, 'birth_date')).toEqual(['signup.birth_date.future']);
      expect(input(future.flow, 'birth_date')?.attributes.value).toBe('2031-01-01');
      expect(await accountOf(address)).toMatchObject({ status: 'pending', birthDate: null });
      expect((await accountOf(address))?.passwordHash).toMatch(/^\$argon2id\$/);
      // The date is right now; a document left unticked stops the screen at the terms.
      const unticked = await submitScreen(future.flow, { birth_date: '1985-06-30', accept_terms: 'on' });
      expect(unticked.status).toBe(400);
      expect(stepOf(unticked.flow)).toBe('terms');
      expect(input(unticked.flow, 'steps')).toBeUndefined();
      expect(fieldErrors(unticked.flow, 'accept_privacy')).toEqual(['signup.terms.required']);
      const done = await submitScreen(unticked.flow, { accept_terms: 'on', accept_privacy: 'on' });
      expect(done.flow.state).toBe('complete');
    });

    it('refuses an underage person on the screen and keeps nothing', async () => {
      const { flow, address } = await verifiedFlow('US');
      const refused = await submitScreen(flow, { password: PASSWORD, birth_date: '2020-01-01', accept_terms: 'on', accept_privacy: 'on' });
      expect(refused.flow.state).toBe('refused');
      expect(await accountOf(address)).toBeNull();
    });

    it('runs a screen whose password is not first: the hash between the steps, a short password stops it there', async () => {
      const reordered = createSignUpTestKit(database.db, {
        config: demoConfig((y) =>
          y.replace('steps: [email, email_code, password, birth_date, terms]\n      screens: [[password, birth_date, terms]]', 'steps: [email, email_code, birth_date, password, terms]\n      screens: [[birth_date, password, terms]]'),
        ),
      });
      const address = email('us-reordered');
      let flow = await reordered.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.7' });
      const post = async (values: Record<string, string>) => {
        const hidden = flow.ui.nodes.flatMap((x) => (x.type === 'input' && x.attributes.type === 'hidden' ? [[x.attributes.name, x.attributes.value ?? '']] : []));
        return reordered.service.submit(flow.id, { ...Object.fromEntries(hidden), ...values }, browser(flow.id));
      };
      flow = (await post({ email: address })).flow;
      flow = (await post({ code: reordered.codeFor(address) })).flow;
      expect(input(flow, 'steps')?.attributes.value).toBe('birth_date,password,terms');
      const short = await post({ birth_date: '1985-06-30', password: 'too-short', accept_terms: 'on', accept_privacy: 'on' });
      expect(short.status).toBe(400);
      expect(stepOf(short.flow)).toBe('password');
      expect(fieldErrors(short.flow, 'password')).toEqual(['signup.password.too_short']);
      expect(await accountOf(address)).toMatchObject({ status: 'pending', birthDate: '1985-06-30', passwordHash: null });
      flow = short.flow;
      const done = await post({ password: PASSWORD, accept_terms: 'on', accept_privacy: 'on' });
      expect(done.flow.state).toBe('complete');
      const account = await accountOf(address);
      expect(account?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(account?.termsAcceptances.map((a) => a.documentId).sort()).toEqual(['privacy', 'terms']);
    });

    it('still takes one step at a time from a client that posts only the step', async () => {
      const { flow, address } = await verifiedFlow('US');
      const next = await submit(flow, { password: PASSWORD, birth_date: '1985-06-30' });
      expect(next.status).toBe(200);
      expect(stepOf(next.flow)).toBe('birth_date');
      expect(inputNames(next.flow)).toEqual(['birth_date', 'accept_terms', 'accept_privacy']);
      expect((await accountOf(address))?.birthDate).toBeNull();
    });
  });

  describe('form posts (post/redirect/get)', () => {
    /** Posts as the web form does (every hidden input plus `values`), answered without the instruction. */
    async function postForm(flow: Flow, values: Record<string, string>) {
      const hidden = flow.ui.nodes.flatMap((x) => (x.type === 'input' && x.attributes.type === 'hidden' ? [[x.attributes.name, x.attributes.value ?? '']] : []));
      return kit.service.submitForm(flow.id, { ...Object.fromEntries(hidden), ...values }, browser(flow.id));
    }

    it('answers a refused screen with its status; the page then shows the error and the typed date', async () => {
      const { flow } = await verifiedFlow('US');
      const posted = await postForm(flow, { password: PASSWORD, birth_date: '2031-01-01', accept_terms: 'on' });
      expect(posted).toEqual({ state: 'active', continueTo: null, status: 400 });
      const page = await kit.service.get(flow.id, { locale: 'en', boundFlowIds: [flow.id] });
      expect(stepOf(page!)).toBe('birth_date');
      expect(fieldErrors(page!, 'birth_date')).toEqual(['signup.birth_date.future']);
      expect(input(page!, 'birth_date')?.attributes.value).toBe('2031-01-01');
    });

    it('answers a too-early resend with 429 and its wait; the page shows why', async () => {
      const started = await kit.service.start({ locale: 'en', regionHint: 'US', cookieBound: true, ip: '198.51.100.7' });
      const atCode = (await submit(started, { email: email('form-resend') })).flow;
      const posted = await postForm(atCode, { action: 'resend' });
      expect(posted).toMatchObject({ state: 'active', status: 429, retryAfterSeconds: 60 });
      const shown = await kit.service.get(atCode.id, { boundFlowIds: [atCode.id] });
      expect(shown?.ui.messages.map((m) => m.id)).toEqual(['signup.code.resend_wait']);
    });

    it('answers the last step with where to continue (the resumed interaction), and a refusal with its state', async () => {
      let flow = await kit.service.start({ locale: 'en', regionHint: 'US', interactionUid: 'uid-form', cookieBound: true, ip: '198.51.100.19' });
      const address = email('form');
      flow = (await submit(flow, { email: address })).flow;
      flow = (await submit(flow, { code: kit.codeFor(address) })).flow;
      const done = await postForm(flow, { password: PASSWORD, birth_date: '1970-01-01', accept_terms: 'on', accept_privacy: 'on' });
      expect(done).toEqual({ state: 'complete', continueTo: 'https://id.example.com/oidc/auth/uid-form', status: 200 });
      expect(await postForm(flow, {})).toEqual(done);
      const young = await verifiedFlow('US');
      expect(await postForm(young.flow, { password: PASSWORD, birth_date: '2020-01-01', accept_terms: 'on', accept_privacy: 'on' })).toEqual({ state: 'refused', continueTo: null, status: 200 });
    });
  });

  describe('readiness', () => {
    it('is false until every step is done, and again when a new terms version is published', async () => {
      const verified = await verifiedFlow('JP');
      const address = verified.address;
      let flow = verified.flow;
      const id = (await accountOf(address))!.id;
      expect(await kit.service.readiness(id)).toMatchObject({ ready: false, status: 'pending', missing: ['password', 'birth_date', 'terms'] });
      flow = (await submit(flow, { password: PASSWORD })).flow;
      flow = (await submit(flow, { birth_date: '1990-01-01' })).flow;
      await submit(flow, { accept_terms: 'true' });
      expect(await kit.service.readiness(id)).toEqual({ ready: true, status: 'active', missing: [] });

      const republished = createSignUpTestKit(database.db, { config: demoConfig((y) => y.replace("documents: [{ id: terms, version: '2026-01' }]\n\n  - code: TW", "documents: [{ id: terms, version: '2026-07' }]\n\n  - code: TW")) });
      expect(await republished.service.readiness(id)).toEqual({ ready: false, status: 'active', missing: ['terms'] });
      // Signing in continues the account into exactly that step, then back into the interaction.
      let again = await republished.service.start({ locale: 'en', accountId: id, interactionUid: 'uid-terms', cookieBound: true, ip: '198.51.100.18' });
      expect(stepOf(again)).toBe('terms');
      expect(again.ui.nodes.find((x) => x.type === 'text')).toMatchObject({ attributes: { text: { id: 'signup.terms.updated' } } });
      expect(input(again, 'accept_terms')?.meta.label?.context).toMatchObject({ version: '2026-07' });
      again = (await republished.service.submit(again.id, { step: 'terms', accept_terms: 'true' }, browser(again.id))).flow;
      expect(again.state).toBe('complete');
      expect(await republished.service.readiness(id)).toEqual({ ready: true, status: 'active', missing: [] });
      expect((await accountOf(address))?.termsAcceptances.map((a) => a.version).sort()).toEqual(['2026-01', '2026-07']);
    });

    it('asks an account with an unverified email for the code first, mailing it on arrival', async () => {
      const address = email('unverified');
      const account = await database.db.account.create({ data: { email: address, countryRegionCode: 'US', locale: 'en', emailVerified: false, passwordHash: 'x', status: 'active' } });
      const config = demoConfig();
      await recordOperatorProvisioning(account.id, config.regions.find((r) => r.code === 'US')!, 'en', database.db);
      await database.db.accountStep.delete({ where: { accountId_step: { accountId: account.id, step: 'email_code' } } });
      expect(await kit.service.readiness(account.id)).toMatchObject({ ready: false, missing: ['email_code'] });
      const flow = await kit.service.start({ locale: 'en', accountId: account.id, cookieBound: true, ip: '198.51.100.19' });
      expect(stepOf(flow)).toBe('email_code');
      const done = await submit(flow, { code: kit.codeFor(address) });
      expect(done.flow.state).toBe('complete');
      expect((await accountOf(address))?.emailVerified).toBe(true);
    });

    it('treats an operator-provisioned account as ready', async () => {
      const account = await database.db.account.create({ data: { email: email('operator'), countryRegionCode: 'DE', locale: 'en', emailVerified: true, passwordHash: 'x' } });
      await recordOperatorProvisioning(account.id, demoConfig().regions.find((r) => r.code === 'DE')!, 'en', database.db);
      expect(await kit.service.readiness(account.id)).toEqual({ ready: true, status: 'active', missing: [] });
    });
  });
}

for (const backend of TEST_BACKENDS) {
  describe.runIf(backend.enabled)(`sign-up on ${backend.provider}`, () => defineSignUpTests(backend.provider));
}
