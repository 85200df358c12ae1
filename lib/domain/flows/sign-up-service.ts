import { AppError } from '../errors';
import { fallbackPolicy, laterOnSameScreen, type RegionPolicy, type SignUpStepId } from '../regions/region-policy';
import type { Flow, FlowMessage, FlowNode } from './flow';
import { NodeKit } from './flow-nodes';
import { isReady, missingSteps } from './readiness';
import type { SignUpDeps } from './sign-up-deps-types';
import { issueCode, nextStep, stepsOf, type MessageRef, type StepDefinition, type StepOutcome, type StepRuntime, type StepState, type Values } from './sign-up-steps';
import type { AccountSnapshot, Feedback, FlowRecord, NewFlowRecord, SignUpTx } from './sign-up-store';

/**
 * The sign-up orchestrator: persisted flows, one instruction at a time (shared/design.md §4.2).
 * Rules of a submission, in order:
 * 1. unknown flow → 404; a browser flow without its cookie → 403; expired → 410;
 * 2. a finished (complete or refused) flow answers with itself: submitting twice is harmless;
 * 3. the submission names its step (hidden `step`); a step already done is answered with the
 *    current instruction (idempotent), an unexpected one with 409;
 * 4. the step's handler validates (bad input → the instruction with localized errors, 400/410/429,
 *    nothing written) and writes in one transaction that claims the flow first;
 * 5. when no step is left, the account becomes active, the flow complete, and the OIDC
 *    interaction (if any) is finished with the new login: `continue_to` resumes it.
 */

export type StartInput = {
  locale: string;
  /** Preselects the region (a `region` parameter, the app's hint); ignored when not offered. */
  regionHint?: string | null;
  /** The interaction's client's regions: the only ones offered. */
  clientRegions?: string[] | null;
  interactionUid?: string | null;
  /** Continue an existing (unready) account: its missing steps only. */
  accountId?: string | null;
  /** Browser flows are bound to the browser by a cookie holding the flow id. */
  cookieBound: boolean;
  ip: string;
  /** How the person already authenticated (a social sign-in: ['fed']): the amr of the login the flow finishes with. */
  authMethods?: string[] | null;
};

export type SubmitContext = {
  ip: string;
  /** The locale the person now reads (language switcher); the flow's own otherwise. */
  locale?: string | null;
  /** Flow ids bound to this browser (its flow cookie); null when the caller has none. */
  boundFlowIds: readonly string[] | null;
};

export type SubmitResult = { flow: Flow; status: number; retryAfterSeconds?: number };

export type AccountReadiness = { ready: boolean; status: AccountSnapshot['status']; missing: SignUpStepId[] };

type Rejected = Extract<StepOutcome, { kind: 'rejected' }>;

const CLEANUP_PROBABILITY = 0.01;
const CLEANUP_GRACE_MS = 86_400_000;

/**
 * Hidden field of a screen that asks for several steps: the steps it answers, comma-separated.
 * A submission without it answers its `step` alone, as a client that posts one step at a time does.
 */
export const SCREEN_STEPS_FIELD = 'steps';
/** Submitted values never shown again after a refused screen. */
const NOT_KEPT = new Set(['password', 'code', 'step', SCREEN_STEPS_FIELD, 'action']);

export function createSignUpService(deps: SignUpDeps) {
  const { store, regions, translate } = deps;
  const clock = () => deps.clock?.() ?? new Date();

  const policyFor = (code: string | null, locale: string): RegionPolicy | null => (code ? (regions.find(code) ?? fallbackPolicy(code, locale)) : null);

  type Found = { flow: FlowRecord; account: AccountSnapshot | null };

  function stateFrom({ flow, account }: Found, now: Date): StepState {
    return { flow, account, policy: policyFor(account?.region ?? flow.region, flow.locale), now };
  }

  function messagesOf(kit: NodeKit, refs: MessageRef[] | undefined, type: FlowMessage['type']): FlowMessage[] {
    return (refs ?? []).map((r) => kit.message(r.id, type, r.context));
  }

  function feedbackOf(kit: NodeKit, step: string, rejected: Rejected): Feedback {
    return {
      step,
      messages: messagesOf(kit, rejected.messages, 'error'),
      fields: Object.fromEntries(Object.entries(rejected.fields ?? {}).map(([name, refs]) => [name, messagesOf(kit, refs, 'error')])),
      values: rejected.values ?? {},
      ...(rejected.strength === undefined ? {} : { strength: rejected.strength }),
    };
  }

  /** Re-translates stored feedback into the locale being rendered. */
  function localize(kit: NodeKit, messages: FlowMessage[]): FlowMessage[] {
    return messages.map((m) => kit.message(m.id, m.type, m.context));
  }

  function mergeFeedback(nodes: FlowNode[], kit: NodeKit, feedback: Feedback | null): FlowNode[] {
    if (!feedback) return nodes;
    return nodes.map((node) => {
      if (node.type !== 'input') return node;
      const messages = feedback.fields[node.attributes.name];
      return messages ? { ...node, messages: [...node.messages, ...localize(kit, messages)] } : node;
    });
  }

  /** `step` and the later steps of its screen still to do (the region's `screens`), in order. */
  function screenOf(state: StepState, step: StepDefinition): StepDefinition[] {
    return [step, ...stepsOf(state).filter((s) => laterOnSameScreen(state.policy, step.id, s.id) && s.applies(state) && !s.done(state))];
  }

  /** The instruction's nodes: one step's, or a screen's steps' with one submit button (the last step's). */
  function screenNodes(state: StepState, step: StepDefinition, kit: NodeKit, feedback: Feedback | null): FlowNode[] {
    const screen = screenOf(state, step);
    const nodes: FlowNode[] = [kit.hidden('step', step.id)];
    if (screen.length > 1) nodes.push(kit.hidden(SCREEN_STEPS_FIELD, screen.map((s) => s.id).join(',')));
    screen.forEach((s, i) => {
      const own = s.render(state, kit, deps, feedback);
      nodes.push(...(i === screen.length - 1 ? own : own.filter((n) => !(n.type === 'input' && n.attributes.type === 'submit'))));
    });
    return mergeFeedback(nodes, kit, feedback);
  }

  function render(state: StepState, locale: string, extra: FlowMessage[] = []): Flow {
    const { flow } = state;
    const kit = new NodeKit(locale, translate);
    const base = {
      id: flow.id,
      type: 'signup' as const,
      expires_at: flow.expiresAt.toISOString(),
      locale,
      region: state.account?.region ?? flow.region,
    };
    const ui = (nodes: FlowNode[], messages: FlowMessage[]) => ({ action: `/api/flows/${flow.id}`, method: 'POST' as const, nodes, messages: [...messages, ...extra] });
    if (flow.state === 'complete') {
      const continueTo = flow.continueTo ?? deps.links.home();
      return {
        ...base,
        state: 'complete',
        ui: ui(
          [kit.text('complete', 'signup-complete', kit.message('signup.complete.done', 'success')), kit.link('complete', 'continue', continueTo, kit.label('signup.complete.continue'))],
          localize(kit, flow.feedback?.messages ?? []),
        ),
        continue_to: continueTo,
      };
    }
    if (flow.state === 'refused') {
      const back = flow.continueTo ?? deps.links.home();
      return {
        ...base,
        state: 'refused',
        ui: ui(
          [
            ...localize(kit, flow.feedback?.messages ?? []).map((m, i) => kit.text('refused', `refused-${i}`, m)),
            kit.link('refused', 'back', back, kit.label(flow.interactionUid ? 'signup.refused.back_to_app' : 'signup.refused.home')),
          ],
          [],
        ),
        ...(flow.continueTo ? { continue_to: flow.continueTo } : {}),
      };
    }
    const step = nextStep(state);
    const feedback = flow.feedback && (flow.feedback.step === (step?.id ?? 'complete') || flow.feedback.step === '*') ? flow.feedback : null;
    const nodes: FlowNode[] = step
      ? screenNodes(state, step, kit, feedback)
      : [kit.hidden('step', 'complete'), kit.text('complete', 'signup-ready', kit.message('signup.ready')), kit.submit('continue', 'signup.action.finish')];
    if (flow.interactionUid && !flow.accountId) {
      nodes.push(kit.link('navigation', 'sign-in', deps.links.signIn(flow.interactionUid), kit.label('signup.nav.sign_in')));
    }
    return { ...base, state: 'active', ui: ui(nodes, localize(kit, feedback?.messages ?? [])) };
  }

  /**
   * The state right after a step's writes (the flow as claimed plus the step's own changes to it,
   * the account read in the transaction); when that step was the last
   * one (no step left, readiness met), the account is activated and the flow completed in the
   * same transaction. A flow with an OIDC interaction gets its `continue_to` afterwards
   * (finishInteraction), since finishing the interaction is not part of it.
   */
  async function settle(tx: SignUpTx, flow: FlowRecord, now: Date): Promise<StepState> {
    const id = flow.id;
    const account = flow.accountId ? await tx.findAccount(flow.accountId) : null;
    const state: StepState = { flow, account, policy: policyFor(account?.region ?? flow.region, flow.locale), now };
    if (flow.state !== 'active' || !account || !state.policy || nextStep(state) || !isReady(account, state.policy, now)) return state;
    if (account.status === 'pending') await tx.updateAccount(account.id, { status: 'active' });
    const continueTo = flow.interactionUid ? null : deps.links.home();
    await tx.updateFlow(id, { state: 'complete', continueTo });
    return { ...state, flow: { ...flow, state: 'complete', continueTo }, account: { ...account, status: account.status === 'pending' ? 'active' : account.status } };
  }

  /**
   * `tx` with the flow's row kept in step: the claim returned it and holds it until the commit
   * (claimFlow), so the step's own writes to it are all that can change it.
   */
  function tracking(tx: SignUpTx, claimed: FlowRecord): { tx: SignUpTx; flow(): FlowRecord } {
    let flow = claimed;
    return {
      tx: {
        ...tx,
        async updateFlow(id, patch) {
          await tx.updateFlow(id, patch);
          if (id !== flow.id) return;
          // As the store writes it: keys left undefined are not written.
          const written = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<FlowRecord>;
          flow = { ...flow, ...written };
        },
        async deleteAccount(id) {
          await tx.deleteAccount(id);
          // The flow's account_id is ON DELETE SET NULL.
          if (flow.accountId === id) flow = { ...flow, accountId: null };
        },
      },
      flow: () => flow,
    };
  }

  /** A submission of several steps (a screen): the steps it answers, the values posted, the step committing. */
  type Screen = { answered: readonly string[]; values: Values; stepId: string };
  /** A later step of a screen that ran inside the transaction of the step before it. */
  type Inlined = { stepId: string; outcome: StepOutcome };

  /**
   * The next step of `screen` after `stepId` in `state`, when the submission answers it too;
   * null when the screen stops here.
   */
  function nextOnScreen(state: StepState | null, stepId: string, screen: Screen | undefined): StepDefinition | null {
    const next = screen && state?.flow.state === 'active' ? nextStep(state) : null;
    return next && screen?.answered.includes(next.id) && laterOnSameScreen(state?.policy ?? null, stepId, next.id) ? next : null;
  }

  /**
   * A step runtime whose commits also settle the flow; `settled()` is the state its last commit
   * left. Given a screen, a commit goes on with the screen's next steps that can run inline (see
   * StepDefinition.inline) in the same transaction, each as if submitted alone once the one before
   * is done, until one is refused or not inline; `lastInlined()` is the last of them.
   */
  function runtime(flow: FlowRecord, ip: string, now: Date, screen?: Screen): StepRuntime & { settled(): StepState | null; lastInlined(): Inlined | null } {
    let settled: StepState | null = null;
    let lastInlined: Inlined | null = null;

    async function continueScreen(tx: SignUpTx, current: () => FlowRecord, stepId: string): Promise<void> {
      for (let next = nextOnScreen(settled, stepId, screen); next?.inline && settled && screen; next = nextOnScreen(settled, stepId, screen)) {
        const before: StepState = settled;
        settled = null;
        const inner: StepRuntime = {
          deps,
          now,
          ip,
          async commit(write) {
            const value = await write(tx);
            settled = await settle(tx, current(), now);
            return { lost: false, value };
          },
        };
        const outcome = await next.handle(before, screen.values, inner);
        stepId = next.id;
        lastInlined = { stepId, outcome };
        if (outcome.kind !== 'ok' || !settled) {
          settled ??= before;
          return;
        }
      }
    }

    return {
      deps,
      now,
      ip,
      commit: (write) =>
        store.transaction(async (tx) => {
          const claimed = await tx.claimFlow(flow.id, flow.version, { feedback: null, expiresAt: new Date(now.getTime() + deps.limits.flowTtlSeconds * 1000) });
          if (!claimed) return { lost: true as const };
          const tracked = tracking(tx, claimed);
          const value = await write(tracked.tx);
          settled = await settle(tracked.tx, tracked.flow(), now);
          if (screen) await continueScreen(tracked.tx, tracked.flow, screen.stepId);
          return { lost: false as const, value };
        }),
      settled: () => settled,
      lastInlined: () => lastInlined,
    };
  }

  /** After completion: finishes the OIDC interaction (if any) with the new login and records where to continue. */
  async function finishInteraction(flow: FlowRecord, accountId: string): Promise<FlowRecord> {
    if (!flow.interactionUid) return flow;
    let continueTo = deps.links.home();
    let feedback: Feedback | null = null;
    const resume = await deps.interactions.finish(flow.interactionUid, { accountId, ...(flow.authMethods ? { amr: flow.authMethods } : {}) });
    if (resume) continueTo = resume;
    else feedback = { step: 'complete', messages: [{ id: 'signup.complete.interaction_expired', type: 'info', text: '' }], fields: {}, values: {} };
    await store.patchFlow(flow.id, { continueTo, feedback });
    return { ...flow, continueTo, feedback };
  }

  async function loadActive(id: string, boundFlowIds: readonly string[] | null, now: Date): Promise<Found> {
    const found = await store.findFlowWithAccount(id);
    if (!found) throw new AppError('signup.flow_not_found', { status: 404 });
    const { flow } = found;
    if (flow.cookieBound && !boundFlowIds?.includes(id)) throw new AppError('signup.flow_foreign', { status: 403 });
    if (flow.state === 'active' && flow.expiresAt <= now) throw new AppError('signup.flow_expired', { status: 410 });
    return found;
  }

  async function stateById(id: string, now: Date): Promise<StepState> {
    const found = await store.findFlowWithAccount(id);
    if (!found) throw new AppError('signup.flow_not_found', { status: 404 });
    return stateFrom(found, now);
  }

  /**
   * Side effects of arriving at a step: an existing account continuing into email_code gets its
   * code mailed (unless a live one exists). 'sent' when the flow changed, a rejection (throttled,
   * mail down) to show, or null when nothing happened.
   */
  async function enter(state: StepState, ip: string, now: Date): Promise<Rejected | 'sent' | null> {
    const { flow, account } = state;
    if (flow.state !== 'active' || !account || nextStep(state)?.id !== 'email_code') return null;
    const latest = await store.latestCode(flow.id);
    if (latest && !latest.consumedAt && latest.expiresAt > now && latest.attempts < deps.limits.codeMaxAttempts) return null;
    const outcome = await issueCode(state, runtime(flow, ip, now), account.email, { resend: false, setEmail: false });
    return outcome.kind === 'rejected' ? outcome : 'sent';
  }

  /** All steps done (a submission of "complete"): activate the account, finish the flow and the interaction. */
  async function complete(
    state: StepState,
    ip: string,
    now: Date,
  ): Promise<Extract<StepOutcome, { kind: 'lost' | 'rejected' }> | { kind: 'ok'; flow: FlowRecord }> {
    const { flow, account, policy } = state;
    if (!account || !policy || !isReady(account, policy, now)) return { kind: 'rejected', status: 409, messages: [{ id: 'signup.step_mismatch' }] };
    // The claim (flow version as read with `state`) makes the readiness just checked current.
    const rt = runtime(flow, ip, now);
    const committed = await rt.commit(async () => undefined);
    const settled = rt.settled();
    if (committed.lost) return { kind: 'lost' };
    if (!settled || settled.flow.state !== 'complete') return { kind: 'rejected', status: 409, messages: [{ id: 'signup.step_mismatch' }] };
    return { kind: 'ok', flow: await finishInteraction(settled.flow, account.id) };
  }

  async function refuse(flow: FlowRecord, reason: MessageRef): Promise<void> {
    let continueTo: string | null = null;
    if (flow.interactionUid) {
      continueTo = await deps.interactions.finish(flow.interactionUid, { error: 'access_denied', description: 'the sign-up was not completed' });
    }
    const message: FlowMessage = { id: reason.id, type: 'error', text: '', ...(reason.context ? { context: reason.context } : {}) };
    await store.patchFlow(flow.id, { continueTo, feedback: { step: 'refused', messages: [message], fields: {}, values: {} } });
  }

  async function renderById(id: string, locale: string | null, extra: FlowMessage[] = []): Promise<Flow> {
    const state = await stateById(id, clock());
    return render(state, locale ?? state.flow.locale, extra);
  }

  return {
    async start(input: StartInput): Promise<Flow> {
      const now = clock();
      const configured = new Set(regions.list().map((r) => r.code));
      const clientRegions = input.clientRegions ? input.clientRegions.filter((r) => configured.has(r)) : null;
      const offered = clientRegions ?? [...configured];
      const hint = input.regionHint?.toUpperCase();
      let region = hint && offered.includes(hint) ? hint : offered.length === 1 ? (offered[0] ?? null) : null;
      const account = input.accountId ? await store.findAccount(input.accountId) : null;
      if (input.accountId) {
        if (!account) throw new AppError('signup.flow_not_found', { status: 404 });
        region = account.region;
      }
      const id = deps.newFlowId();
      const created: NewFlowRecord = {
        id,
        state: 'active',
        region,
        locale: input.locale,
        interactionUid: input.interactionUid ?? null,
        accountId: input.accountId ?? null,
        cookieBound: input.cookieBound,
        clientRegions: clientRegions && clientRegions.length > 0 ? clientRegions : null,
        authMethods: input.authMethods ?? null,
        expiresAt: new Date(now.getTime() + deps.limits.flowTtlSeconds * 1000),
      };
      // The flow and its count against the IP's allowance commit together; a locked IP gets neither.
      const ipState = await store.transaction(async (tx) => {
        const counted = await deps.limiters.flowsPerIp.recordFailure(`signup:flows:ip:${input.ip}`, tx);
        if (!counted.locked) await tx.insertFlow(created);
        return counted;
      });
      if (ipState.locked) {
        const retryAfterSeconds = ipState.retryAfterSeconds ?? 60;
        throw new AppError('signup.rate_limited', { status: 429, details: { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)), retryAfterSeconds } });
      }
      if (Math.random() < CLEANUP_PROBABILITY) {
        store.deleteExpiredFlows(new Date(now.getTime() - CLEANUP_GRACE_MS)).catch((e: unknown) => deps.logError?.('[signup] cleanup failed', e));
      }
      // The flow as just written, with the account read above: neither is read back.
      const flow: FlowRecord = { ...created, version: 0, email: null, continueTo: null, feedback: null, authMethods: created.authMethods ?? null, createdAt: now };
      const state: StepState = { flow, account, policy: policyFor(account?.region ?? region, input.locale), now };
      const entered = input.accountId ? await enter(state, input.ip, now) : null;
      if (entered && entered !== 'sent') await store.patchFlow(id, { feedback: feedbackOf(new NodeKit(input.locale, translate), 'email_code', entered) });
      return entered ? renderById(id, input.locale) : render(state, input.locale);
    },

    /**
     * The current instruction, or null for an unknown or expired flow (or, given `boundFlowIds`,
     * one bound to another browser). `locale` is the one the page renders, remembered for mail.
     */
    async get(id: string, opts: { locale?: string | null; boundFlowIds?: readonly string[] | null } = {}): Promise<Flow | null> {
      const found = await store.findFlowWithAccount(id);
      const now = clock();
      if (!found || (found.flow.state === 'active' && found.flow.expiresAt <= now)) return null;
      let { flow } = found;
      if (opts.boundFlowIds !== undefined && flow.cookieBound && !opts.boundFlowIds?.includes(id)) return null;
      if (opts.locale && opts.locale !== flow.locale && flow.state === 'active') {
        await store.patchFlow(id, { locale: opts.locale });
        flow = { ...flow, locale: opts.locale };
      }
      return render(stateFrom({ flow, account: found.account }, now), opts.locale ?? flow.locale);
    },

    /** Like get, but says why there is nothing: 404 unknown, 403 another browser's, 410 expired. */
    async load(id: string, opts: { locale?: string | null; boundFlowIds: readonly string[] | null }): Promise<Flow> {
      const found = await loadActive(id, opts.boundFlowIds, clock());
      return render(stateFrom(found, clock()), opts.locale ?? found.flow.locale);
    },

    async submit(id: string, rawValues: Values, ctx: SubmitContext): Promise<SubmitResult> {
      const now = clock();
      const found = await loadActive(id, ctx.boundFlowIds, now);
      let { flow } = found;
      if (flow.state !== 'active') return { flow: await renderById(id, ctx.locale ?? null), status: 200 };
      if (ctx.locale && ctx.locale !== flow.locale) {
        await store.patchFlow(id, { locale: ctx.locale });
        flow = { ...flow, locale: ctx.locale };
      }
      const values: Values = Object.fromEntries(Object.entries(rawValues).map(([k, v]) => [k, String(v).slice(0, 4096)]));
      const state = stateFrom({ flow, account: found.account }, now);
      const current = nextStep(state);
      const requested = values.step || current?.id || 'complete';
      const kit = new NodeKit(flow.locale, translate);

      let outcome: StepOutcome;
      let stepId: string;
      let rt: ReturnType<typeof runtime> | undefined;
      if (!current) {
        stepId = 'complete';
        outcome = await complete(state, ctx.ip, now);
      } else if (requested === current.id || requested === 'region') {
        // The region may be changed until the account exists (its handler answers 409 after that).
        const step = requested === 'region' ? stepsOf(state)[0]! : current;
        stepId = step.id;
        // A screen's later steps run after this one as if submitted alone once the one before is
        // done (inside its transaction when they can: runtime); the first not done stops it.
        const answered = values[SCREEN_STEPS_FIELD] ? values[SCREEN_STEPS_FIELD].split(',') : null;
        const screenFrom = (id: string) => (answered ? { answered, values, stepId: id } : undefined);
        rt = runtime(flow, ctx.ip, now, screenFrom(stepId));
        outcome = await step.handle(state, values, rt);
        for (;;) {
          const last = outcome.kind === 'ok' ? rt.lastInlined() : null;
          if (last) ({ stepId, outcome } = last);
          const after = outcome.kind === 'ok' ? rt.settled() : null;
          const next = nextOnScreen(after, stepId, screenFrom(stepId));
          if (!after || !next) break;
          stepId = next.id;
          rt = runtime(after.flow, ctx.ip, now, screenFrom(stepId));
          outcome = await next.handle(after, values, rt);
        }
      } else {
        const known = stepsOf(state).find((s) => s.id === requested);
        if (known && (known.done(state) || !known.applies(state))) return { flow: render(state, flow.locale), status: 200 };
        return { flow: render(state, flow.locale, [kit.message('signup.step_mismatch', 'error')]), status: 409 };
      }

      switch (outcome.kind) {
        case 'lost':
          return { flow: await renderById(id, flow.locale), status: 200 };
        case 'rejected': {
          const feedback = feedbackOf(kit, stepId, outcome);
          // A refused screen shows again with what was typed on it (secrets excepted).
          if (values[SCREEN_STEPS_FIELD]) {
            feedback.values = { ...Object.fromEntries(Object.entries(values).filter(([k]) => !NOT_KEPT.has(k))), ...feedback.values };
          }
          await store.patchFlow(id, { feedback });
          return {
            flow: await renderById(id, flow.locale),
            status: outcome.status,
            ...(outcome.retryAfterSeconds ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}),
          };
        }
        case 'refused': {
          await refuse(flow, outcome.reason);
          return { flow: await renderById(id, flow.locale), status: 200 };
        }
        case 'ok': {
          // The state the step's transaction left (and completed when nothing was left to do).
          let after = rt?.settled() ?? (await stateById(id, now));
          if (after.flow.state === 'complete' && after.account && after.flow.continueTo === null) {
            after = { ...after, flow: await finishInteraction(after.flow, after.account.id) };
          } else if (after.flow.state === 'active') {
            const next = nextStep(after);
            if (!next) {
              const done = await complete(after, ctx.ip, now);
              if (done.kind === 'rejected') await store.patchFlow(id, { feedback: feedbackOf(kit, 'complete', done) });
              after = done.kind === 'ok' ? { ...after, flow: done.flow } : await stateById(id, now);
            } else {
              const entered = await enter(after, ctx.ip, now);
              let feedback: Feedback | null = null;
              if (entered && entered !== 'sent') feedback = feedbackOf(kit, next.id, entered);
              else if (!entered && outcome.info) feedback = { step: next.id, messages: messagesOf(kit, [outcome.info], 'info'), fields: {}, values: {} };
              if (feedback) await store.patchFlow(id, { feedback });
              if (entered) after = await stateById(id, now);
              else if (feedback) after = { ...after, flow: { ...after.flow, feedback } };
            }
          }
          return { flow: render(after, flow.locale), status: 200 };
        }
      }
    },

    /** Readiness of an account (sign-in, the provider's readiness prompt); null for an unknown account. */
    async readiness(accountId: string): Promise<AccountReadiness | null> {
      const account = await store.findAccount(accountId);
      if (!account) return null;
      const policy = policyFor(account.region, account.locale) ?? fallbackPolicy(account.region, account.locale);
      const now = clock();
      return { ready: isReady(account, policy, now), status: account.status, missing: missingSteps(account, policy, now) };
    },
  };
}

export type SignUpService = ReturnType<typeof createSignUpService>;
