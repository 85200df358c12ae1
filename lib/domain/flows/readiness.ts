import type { RegionPolicy, SignUpStepId } from '../regions/region-policy';
import { ageOn } from './birth-date';
import type { AccountSnapshot } from './sign-up-store';

/**
 * Account readiness: an account gets tokens only when every step its region requires is done.
 * What "done" means, per step (ACCOUNT_STEP_RULES, in the region's order):
 * - email: the account exists;
 * - email_code: the email is verified;
 * - password: the account has a password, or a linked upstream (social) identity instead;
 * - birth_date / profile_name / marketing_consent / identity_verification / guardian_consent:
 *   the step was recorded (by the sign-up, or by an operator who provisioned the account);
 * - guardian_consent applies only to a person younger than the region's minimum age;
 * - terms: the current version of EVERY document of the region is accepted, so publishing a
 *   new version (config) makes the account unready until it is accepted again.
 * A disabled account is never ready; a pending one is ready once its steps are done.
 */

type StepRule = {
  /** Whether the step applies to this account at all. */
  applies(account: AccountSnapshot, policy: RegionPolicy, today: Date): boolean;
  done(account: AccountSnapshot, policy: RegionPolicy): boolean;
};

const always = () => true;
const recorded = (step: SignUpStepId) => (a: AccountSnapshot) => a.steps.has(step);

export function isMinor(birthDate: string | null, policy: RegionPolicy, today: Date): boolean {
  if (!policy.minimumAge || !birthDate) return false;
  const age = ageOn(birthDate, today);
  return age !== null && age < policy.minimumAge.years;
}

export function acceptedAllDocuments(account: AccountSnapshot, policy: RegionPolicy): boolean {
  return policy.documents.every((d) =>
    account.acceptances.some((a) => a.region === policy.code && a.documentId === d.id && a.version === d.version),
  );
}

export const ACCOUNT_STEP_RULES: Record<SignUpStepId, StepRule> = {
  email: { applies: always, done: always },
  email_code: { applies: always, done: (a) => a.emailVerified || a.steps.has('email_code') },
  password: { applies: always, done: (a) => a.hasPassword || a.hasUpstreamIdentity || a.steps.has('password') },
  birth_date: { applies: always, done: (a) => a.birthDate !== null || a.steps.has('birth_date') },
  guardian_consent: {
    applies: (a, policy, today) => policy.minimumAge?.below === 'guardian_consent' && isMinor(a.birthDate, policy, today),
    done: recorded('guardian_consent'),
  },
  terms: { applies: always, done: acceptedAllDocuments },
  marketing_consent: { applies: always, done: recorded('marketing_consent') },
  profile_name: { applies: always, done: (a) => a.name !== null || a.steps.has('profile_name') },
  identity_verification: { applies: always, done: recorded('identity_verification') },
};

/** The region's steps this account still has to do, in order. */
export function missingSteps(account: AccountSnapshot, policy: RegionPolicy, today: Date = new Date()): SignUpStepId[] {
  return policy.steps.filter((s) => ACCOUNT_STEP_RULES[s].applies(account, policy, today) && !ACCOUNT_STEP_RULES[s].done(account, policy));
}

export function isReady(account: AccountSnapshot, policy: RegionPolicy, today: Date = new Date()): boolean {
  return account.status !== 'disabled' && missingSteps(account, policy, today).length === 0;
}
