import type { FlowMessage } from '../flow';
import { NodeKit } from '../flow-nodes';
import { nextStep } from '../sign-up-steps';
import type { SignUpDeps } from '../sign-up-deps-types';
import type { Feedback } from '../sign-up-store';
import { enterStep } from './enter-step';
import { feedbackOf, infoFor, withScreenValues } from './feedback';
import { completeFlow, finishInteraction, refuseFlow } from './finish-flow';
import type { Handled } from './handle-submission';
import { stateById, type Loaded } from './load-flow';
import type { StepOutcome, StepState } from './steps/step-types';

/**
 * The after-commit stage: what follows a step's transaction outside it. A rejection is kept as
 * the flow's feedback (shown by the next render, also after a redirect); a refusal or a
 * completion finishes the OIDC interaction; arriving at a step may mail a code.
 */

/** What a submission came to, ready to render. */
export type Settled = {
  status: number;
  retryAfterSeconds?: number;
  /** The state to render; null when the submission changed the flow in ways only a read shows. */
  state: StepState | null;
  /** Shown with this answer only: not kept on the flow. */
  extra?: FlowMessage[];
};

export async function afterCommit(deps: SignUpDeps, { state, values }: Loaded, handled: Handled, ip: string, now: Date): Promise<Settled> {
  const id = state.flow.id;
  const kit = new NodeKit(state.flow.locale, deps.translate);
  if (handled.kind === 'already_done') return { status: 200, state };
  if (handled.kind === 'unexpected') return { status: 409, state, extra: [kit.message('signup.step_mismatch', 'error')] };
  const { stepId, outcome } = handled;
  switch (outcome.kind) {
    case 'lost':
      return { status: 200, state: null };
    case 'rejected':
      await deps.store.patchFlow(id, { feedback: withScreenValues(feedbackOf(kit, stepId, outcome), values) });
      return { status: outcome.status, state: null, ...(outcome.retryAfterSeconds ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}) };
    case 'refused':
      await refuseFlow(deps, state.flow, outcome.reason);
      return { status: 200, state: null };
    case 'ok':
      return { status: 200, state: await afterStep(deps, handled.settled ?? (await stateById(deps, id, now)), outcome, kit, ip, now) };
  }
}

/**
 * After a step went through (`after`: the state its transaction left): a completed flow finishes
 * its interaction; a flow with nothing left to do completes; otherwise the next step is entered,
 * with the step's info message (if any) for it.
 */
async function afterStep(deps: SignUpDeps, after: StepState, outcome: Extract<StepOutcome, { kind: 'ok' }>, kit: NodeKit, ip: string, now: Date): Promise<StepState> {
  const id = after.flow.id;
  if (after.flow.state === 'complete' && after.account && after.flow.continueTo === null) {
    return { ...after, flow: await finishInteraction(deps, after.flow, after.account.id) };
  }
  if (after.flow.state !== 'active') return after;
  const next = nextStep(after);
  if (!next) {
    const done = await completeFlow(deps, after, ip, now);
    if (done.kind === 'rejected') await deps.store.patchFlow(id, { feedback: feedbackOf(kit, 'complete', done) });
    return done.kind === 'ok' ? { ...after, flow: done.flow } : stateById(deps, id, now);
  }
  const entered = await enterStep(deps, after, ip, now);
  let feedback: Feedback | null = null;
  if (entered && entered !== 'sent') feedback = feedbackOf(kit, next.id, entered);
  else if (!entered && outcome.info) feedback = infoFor(kit, next.id, outcome.info);
  if (feedback) await deps.store.patchFlow(id, { feedback });
  if (entered) return stateById(deps, id, now);
  return feedback ? { ...after, flow: { ...after.flow, feedback } } : after;
}
