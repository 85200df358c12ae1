import { nextStep, stepsOf } from '../sign-up-steps';
import type { SignUpDeps } from '../sign-up-deps-types';
import { claimingRuntime } from './claim-flow';
import { completeFlow } from './finish-flow';
import type { Loaded } from './load-flow';
import { nextOnScreen, SCREEN_STEPS_FIELD } from './screens';
import type { StepDefinition, StepOutcome, StepState, Values } from './steps/step-types';

/**
 * The handle stage: which step a submission answers (hidden `step`), and that step's handler:
 * it validates (bad input: a rejection, nothing written) and writes in one claiming transaction.
 */

export type Handled =
  /** `outcome` of the step `stepId` (the last one run, on a screen); `settled`: the state its transaction left. */
  | { kind: 'answered'; stepId: string; outcome: StepOutcome; settled: StepState | null }
  /** A step already done (or not part of this flow): answered with the current instruction. */
  | { kind: 'already_done' }
  /** A step the flow is not at: 409. */
  | { kind: 'unexpected' };

export async function handleSubmission(deps: SignUpDeps, { state, values }: Loaded, ip: string, now: Date): Promise<Handled> {
  const current = nextStep(state);
  if (!current) return { kind: 'answered', stepId: 'complete', outcome: await completeFlow(deps, state, ip, now), settled: null };
  const requested = values.step || current.id;
  if (requested !== current.id && requested !== 'region') {
    const known = stepsOf(state).find((s) => s.id === requested);
    return known && (known.done(state) || !known.applies(state)) ? { kind: 'already_done' } : { kind: 'unexpected' };
  }
  // The region may be changed until the account exists (its handler answers 409 after that).
  return handleScreen(deps, state, requested === 'region' ? stepsOf(state)[0]! : current, values, ip, now);
}

/**
 * `step`, then the later steps of its screen the submission answers, each as if submitted alone
 * once the one before is done (inside its transaction when they can: claimingRuntime); the first
 * not done stops it.
 */
async function handleScreen(deps: SignUpDeps, state: StepState, step: StepDefinition, values: Values, ip: string, now: Date): Promise<Handled> {
  const answered = values[SCREEN_STEPS_FIELD] ? values[SCREEN_STEPS_FIELD].split(',') : null;
  const screenFrom = (id: string) => (answered ? { answered, values, stepId: id } : undefined);
  let stepId: string = step.id;
  let rt = claimingRuntime(deps, state.flow, ip, now, screenFrom(stepId));
  let outcome = await step.handle(state, values, rt);
  for (;;) {
    const last = outcome.kind === 'ok' ? rt.lastInlined() : null;
    if (last) ({ stepId, outcome } = last);
    const after = outcome.kind === 'ok' ? rt.settled() : null;
    const next = nextOnScreen(after, stepId, screenFrom(stepId));
    if (!after || !next) break;
    stepId = next.id;
    rt = claimingRuntime(deps, after.flow, ip, now, screenFrom(stepId));
    outcome = await next.handle(after, values, rt);
  }
  return { kind: 'answered', stepId, outcome, settled: rt.settled() };
}
