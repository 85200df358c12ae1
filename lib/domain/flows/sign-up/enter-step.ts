import { nextStep } from '../sign-up-steps';
import type { SignUpDeps } from '../sign-up-deps-types';
import { claimingRuntime } from './claim-flow';
import { issueCode } from './steps/issue-code';
import type { Rejected, StepState } from './steps/step-types';

/**
 * Side effects of arriving at a step: an existing account continuing into email_code gets its
 * code mailed (unless a live one exists). 'sent' when the flow changed, a rejection (throttled,
 * mail down) to show, or null when nothing happened.
 */
export async function enterStep(deps: SignUpDeps, state: StepState, ip: string, now: Date): Promise<Rejected | 'sent' | null> {
  const { flow, account } = state;
  if (flow.state !== 'active' || !account || nextStep(state)?.id !== 'email_code') return null;
  const latest = await deps.store.latestCode(flow.id);
  if (latest && !latest.consumedAt && latest.expiresAt > now && latest.attempts < deps.limits.codeMaxAttempts) return null;
  const outcome = await issueCode(state, claimingRuntime(deps, flow, ip, now), account.email, { resend: false, setEmail: false });
  return outcome.kind === 'rejected' ? outcome : 'sent';
}
