import { nextStep } from '../sign-up-steps';
import { isReady } from '../readiness';
import type { SignUpDeps } from '../sign-up-deps-types';
import type { FlowRecord, SignUpTx } from '../sign-up-store';
import { policyFor } from './load-flow';
import type { StepState } from './steps/step-types';

/**
 * The settle stage, at the end of every step's transaction: the state right after the step's
 * writes (the flow as claimed plus the step's own changes to it, the account read in the
 * transaction). When that step was the last one (no step left, readiness met), the account is
 * activated and the flow completed in the same transaction. A flow with an OIDC interaction gets
 * its `continue_to` after the commit (finishInteraction), since finishing the interaction is not
 * part of the transaction.
 */
export async function settleFlow(deps: SignUpDeps, tx: SignUpTx, flow: FlowRecord, now: Date): Promise<StepState> {
  const account = flow.accountId ? await tx.findAccount(flow.accountId) : null;
  const state: StepState = { flow, account, policy: policyFor(deps, account?.region ?? flow.region, flow.locale), now };
  if (flow.state !== 'active' || !account || !state.policy || nextStep(state) || !isReady(account, state.policy, now)) return state;
  if (account.status === 'pending') await tx.updateAccount(account.id, { status: 'active' });
  const continueTo = flow.interactionUid ? null : deps.links.home();
  await tx.updateFlow(flow.id, { state: 'complete', continueTo });
  return { ...state, flow: { ...flow, state: 'complete', continueTo }, account: { ...account, status: account.status === 'pending' ? 'active' : account.status } };
}
