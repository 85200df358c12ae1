import { fallbackPolicy, type SignUpStepId } from '../regions/region-policy';
import type { Flow, FlowState } from './flow';
import { isReady, missingSteps } from './readiness';
import { afterCommit, type Settled } from './sign-up/after-commit';
import { handleSubmission } from './sign-up/handle-submission';
import { loadActive, loadSubmission, policyFor, stateById, stateFrom } from './sign-up/load-flow';
import { continueToOf, renderFlow } from './sign-up/render-flow';
import { startFlow, type StartInput } from './sign-up/start-flow';
import type { Values } from './sign-up/steps/step-types';
import type { SignUpDeps } from './sign-up-deps-types';
import type { AccountSnapshot } from './sign-up-store';

/**
 * The sign-up orchestrator: persisted flows, one instruction at a time (shared/design.md §4.2).
 * A submission goes through named stages, each a file of ./sign-up/:
 *
 * 1. load (load-flow.ts): unknown flow → 404; a browser flow without its cookie → 403; expired →
 *    410; a finished (complete or refused) flow answers with itself: submitting twice is harmless;
 * 2. handle (handle-submission.ts): the submission names its step (hidden `step`); a step already
 *    done is answered with the current instruction (idempotent), an unexpected one with 409; the
 *    step's handler validates (bad input → a rejection: 400/410/429, nothing written) and writes
 *    in ONE transaction that
 * 3. claims the flow first (claim-flow.ts: its version as loaded, so a repeated or concurrent
 *    submission changes nothing twice) and
 * 4. settles it last (settle-flow.ts): when no step is left, the account becomes active and the
 *    flow complete;
 * 5. after-commit (after-commit.ts): a rejection is kept as the flow's feedback; a completed or
 *    refused flow finishes the OIDC interaction (`continue_to` resumes it); arriving at the next
 *    step may mail a code;
 * 6. render (render-flow.ts): the instruction of the flow contract (flow.ts). A browser's form
 *    post skips it (submitForm): it is redirected to the page, whose GET renders.
 */

export type { StartInput };

export type SubmitContext = {
  ip: string;
  /** The locale the person now reads (language switcher); the flow's own otherwise. */
  locale?: string | null;
  /** Flow ids bound to this browser (its flow cookie); null when the caller has none. */
  boundFlowIds: readonly string[] | null;
};

export type SubmitResult = { flow: Flow; status: number; retryAfterSeconds?: number };

/** A submission's result without the instruction: where the flow stands, for a redirect. */
export type FormSubmitResult = { state: FlowState; continueTo: string | null; status: number; retryAfterSeconds?: number };

export type AccountReadiness = { ready: boolean; status: AccountSnapshot['status']; missing: SignUpStepId[] };

export function createSignUpService(deps: SignUpDeps) {
  const clock = () => deps.clock?.() ?? new Date();

  /** load → handle (claim … settle, in the step's transaction) → after-commit; `locale`: the one to render in. */
  async function settleSubmission(id: string, rawValues: Values, ctx: SubmitContext): Promise<Settled & { locale: string }> {
    const now = clock();
    const loaded = await loadSubmission(deps, id, rawValues, ctx, now);
    const { flow } = loaded.state;
    if (flow.state !== 'active') return { status: 200, state: loaded.state, locale: ctx.locale ?? flow.locale };
    const handled = await handleSubmission(deps, loaded, ctx.ip, now);
    return { ...(await afterCommit(deps, loaded, handled, ctx.ip, now)), locale: flow.locale };
  }

  return {
    async start(input: StartInput): Promise<Flow> {
      const started = await startFlow(deps, input, clock());
      return renderFlow(deps, started.state ?? (await stateById(deps, started.id, clock())), input.locale);
    },

    /**
     * The current instruction, or null for an unknown or expired flow (or, given `boundFlowIds`,
     * one bound to another browser). `locale` is the one the page renders, remembered for mail.
     */
    async get(id: string, opts: { locale?: string | null; boundFlowIds?: readonly string[] | null } = {}): Promise<Flow | null> {
      const found = await deps.store.findFlowWithAccount(id);
      const now = clock();
      if (!found || (found.flow.state === 'active' && found.flow.expiresAt <= now)) return null;
      let { flow } = found;
      if (opts.boundFlowIds !== undefined && flow.cookieBound && !opts.boundFlowIds?.includes(id)) return null;
      if (opts.locale && opts.locale !== flow.locale && flow.state === 'active') {
        await deps.store.patchFlow(id, { locale: opts.locale });
        flow = { ...flow, locale: opts.locale };
      }
      return renderFlow(deps, stateFrom(deps, { flow, account: found.account }, now), opts.locale ?? flow.locale);
    },

    /** Like get, but says why there is nothing: 404 unknown, 403 another browser's, 410 expired. */
    async load(id: string, opts: { locale?: string | null; boundFlowIds: readonly string[] | null }): Promise<Flow> {
      const found = await loadActive(deps, id, opts.boundFlowIds, clock());
      return renderFlow(deps, stateFrom(deps, found, clock()), opts.locale ?? found.flow.locale);
    },

    /** A submission answered with the next instruction (the JSON flow API). */
    async submit(id: string, rawValues: Values, ctx: SubmitContext): Promise<SubmitResult> {
      const settled = await settleSubmission(id, rawValues, ctx);
      const state = settled.state ?? (await stateById(deps, id, clock()));
      return {
        flow: renderFlow(deps, state, settled.locale, settled.extra),
        status: settled.status,
        ...(settled.retryAfterSeconds ? { retryAfterSeconds: settled.retryAfterSeconds } : {}),
      };
    },

    /** A submission of the browser's form: not rendered, since the page it is redirected to renders the flow. */
    async submitForm(id: string, rawValues: Values, ctx: SubmitContext): Promise<FormSubmitResult> {
      const settled = await settleSubmission(id, rawValues, ctx);
      const flow = settled.state?.flow ?? (await deps.store.findFlow(id));
      return {
        state: flow?.state ?? 'active',
        continueTo: flow ? continueToOf(deps, flow) : null,
        status: settled.status,
        ...(settled.retryAfterSeconds ? { retryAfterSeconds: settled.retryAfterSeconds } : {}),
      };
    },

    /** Readiness of an account (sign-in, the provider's readiness prompt); null for an unknown account. */
    async readiness(accountId: string): Promise<AccountReadiness | null> {
      const account = await deps.store.findAccount(accountId);
      if (!account) return null;
      const policy = policyFor(deps, account.region, account.locale) ?? fallbackPolicy(account.region, account.locale);
      const now = clock();
      return { ready: isReady(account, policy, now), status: account.status, missing: missingSteps(account, policy, now) };
    },
  };
}

export type SignUpService = ReturnType<typeof createSignUpService>;
