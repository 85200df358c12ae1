import type { FlowMessage } from '../flow';
import { isReady } from '../readiness';
import type { SignUpDeps } from '../sign-up-deps-types';
import type { Feedback, FlowRecord } from '../sign-up-store';
import { claimingRuntime } from './claim-flow';
import type { MessageRef, StepOutcome, StepState } from './steps/step-types';

/** The two ends of a flow: complete (an active account) or refused (no account kept). */

/** After completion: finishes the OIDC interaction (if any) with the new login and records where to continue. */
export async function finishInteraction(deps: SignUpDeps, flow: FlowRecord, accountId: string): Promise<FlowRecord> {
  if (!flow.interactionUid) return flow;
  let continueTo = deps.links.home();
  let feedback: Feedback | null = null;
  const resume = await deps.interactions.finish(flow.interactionUid, { accountId, ...(flow.authMethods ? { amr: flow.authMethods } : {}) });
  if (resume) continueTo = resume;
  else feedback = { step: 'complete', messages: [{ id: 'signup.complete.interaction_expired', type: 'info', text: '' }], fields: {}, values: {} };
  await deps.store.patchFlow(flow.id, { continueTo, feedback });
  return { ...flow, continueTo, feedback };
}

/** All steps done (a submission of "complete"): activate the account, finish the flow and the interaction. */
export async function completeFlow(
  deps: SignUpDeps,
  state: StepState,
  ip: string,
  now: Date,
): Promise<Extract<StepOutcome, { kind: 'lost' | 'rejected' }> | { kind: 'ok'; flow: FlowRecord }> {
  const { flow, account, policy } = state;
  if (!account || !policy || !isReady(account, policy, now)) return { kind: 'rejected', status: 409, messages: [{ id: 'signup.step_mismatch' }] };
  // The claim (flow version as read with `state`) makes the readiness just checked current.
  const rt = claimingRuntime(deps, flow, ip, now);
  const committed = await rt.commit(async () => undefined);
  const settled = rt.settled();
  if (committed.lost) return { kind: 'lost' };
  if (!settled || settled.flow.state !== 'complete') return { kind: 'rejected', status: 409, messages: [{ id: 'signup.step_mismatch' }] };
  return { kind: 'ok', flow: await finishInteraction(deps, settled.flow, account.id) };
}

/** After a step refused the person (its transaction marked the flow refused): ends the interaction (if any) with access_denied and says why. */
export async function refuseFlow(deps: SignUpDeps, flow: FlowRecord, reason: MessageRef): Promise<void> {
  let continueTo: string | null = null;
  if (flow.interactionUid) {
    continueTo = await deps.interactions.finish(flow.interactionUid, { error: 'access_denied', description: 'the sign-up was not completed' });
  }
  const message: FlowMessage = { id: reason.id, type: 'error', text: '', ...(reason.context ? { context: reason.context } : {}) };
  await deps.store.patchFlow(flow.id, { continueTo, feedback: { step: 'refused', messages: [message], fields: {}, values: {} } });
}
