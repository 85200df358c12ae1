import { normalizeEmail } from '../../../accounts/account';
import type { SignUpStepId } from '../../../regions/region-policy';
import { ACCOUNT_STEP_RULES } from '../../readiness';
import type { StepState } from './step-types';

/** Checks shared by several steps: of submitted values, and of whether a step is done. */

export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 100;
// Deliberately simple (HTML's own email check): the code we send is the real test.
const EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function parseEmail(raw: string | undefined): { ok: true; email: string } | { ok: false } {
  const value = (raw ?? '').trim();
  if (!value || value.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(value)) return { ok: false };
  return { ok: true, email: normalizeEmail(value) };
}

export const ticked = (v: string | undefined) => v === 'true' || v === 'on' || v === '1' || v === 'yes';

export function validName(name: string): boolean {
  return name.length >= 1 && [...name].length <= NAME_MAX_LENGTH && !/[\u0000-\u001f\u007f<>]/.test(name);
}

/** Done when the account has it (readiness.ts says what that means per step). */
export const accountDone = (step: SignUpStepId) => (s: StepState) => s.account !== null && s.policy !== null && ACCOUNT_STEP_RULES[step].done(s.account, s.policy);
export const afterAccount = (s: StepState) => s.account !== null;
