import { birthDateStep } from './sign-up/steps/birth-date-step';
import { emailCodeStep } from './sign-up/steps/email-code-step';
import { emailStep } from './sign-up/steps/email-step';
import { guardianConsentStep } from './sign-up/steps/guardian-consent-step';
import { identityVerificationStep } from './sign-up/steps/identity-verification-step';
import { marketingConsentStep } from './sign-up/steps/marketing-consent-step';
import { passwordStep } from './sign-up/steps/password-step';
import { profileNameStep } from './sign-up/steps/profile-name-step';
import { regionStep } from './sign-up/steps/region-step';
import type { FlowStepId, StepDefinition, StepState } from './sign-up/steps/step-types';
import { termsStep } from './sign-up/steps/terms-step';

/**
 * The sign-up step table. Rules as data: a flow runs `region` (until one is chosen) and then its
 * region's steps in their configured order; the next instruction is the first step that applies
 * to this person and is not done yet (readiness.ts says what "done" means for an account). Each
 * row says how the step is rendered and how a submission is validated and written: validation
 * first (nothing is written for bad input), then ONE transaction that first claims the flow
 * (optimistic version), so a repeated or concurrent submission changes nothing twice.
 *
 * | step                  | asks for                          | writes (one transaction)                         |
 * |-----------------------|-----------------------------------|--------------------------------------------------|
 * | region                | country/region (select)           | flow.region (until the account exists)           |
 * | email                 | email                             | flow.email, a hashed code (or a decoy + notice)  |
 * | email_code            | 6-digit code; resend; change email| the attempt; on success the pending account      |
 * | password              | new password (NIST, zxcvbn)       | argon2id hash                                    |
 * | birth_date            | date of birth                     | birth date; below the minimum age: refuse (the   |
 * |                       |                                   | pending account is deleted) or guardian step     |
 * | guardian_consent      | guardian's name, email, consent   | guardian consent (declared)                      |
 * | terms                 | one checkbox per document         | one acceptance per document (id, version, locale)|
 * | marketing_consent     | checkbox (opt-in or opt-out)      | consent record + account flag                    |
 * | profile_name          | name                              | account name                                     |
 * | identity_verification | nothing (placeholder)             | a PENDING identity verification                  |
 *
 * Each step is a file of sign-up/steps/ (named for the step); what they share is step-types.ts.
 */

/**
 * The messages each step shows (besides errors shared by all): `config check` reports a region
 * whose locales lack one of them. Documents add legal.documents.<id> and legal.accept.<id>.
 */
export const STEP_MESSAGE_IDS: Record<FlowStepId, readonly string[]> = {
  region: ['region.label', 'signup.region.hint', 'signup.region.invalid'],
  email: ['signup.email.intro', 'signup.email.label', 'signup.email.invalid', 'mail.signupCode.subject', 'mail.existingAccount.subject'],
  email_code: ['signup.code.sent', 'signup.code.label', 'signup.code.wrong', 'signup.code.locked', 'signup.code.expired', 'signup.action.verify', 'signup.action.resend'],
  password: ['signup.password.label', 'signup.password.rules', 'signup.password.too_short', 'signup.password.common', 'signup.password.weak'],
  birth_date: ['signup.birth_date.intro', 'signup.birth_date.label', 'signup.birth_date.future', 'signup.age.refused'],
  guardian_consent: ['signup.guardian.intro', 'signup.guardian.name', 'signup.guardian.email', 'signup.guardian.confirm'],
  terms: ['signup.terms.intro', 'signup.terms.updated', 'signup.terms.required', 'signup.action.accept'],
  marketing_consent: ['signup.marketing.intro', 'signup.marketing.label'],
  profile_name: ['signup.name.label', 'signup.name.invalid'],
  identity_verification: ['signup.kyc.intro', 'signup.kyc.placeholder', 'signup.kyc.pending'],
};

export const STEP_TABLE: Record<FlowStepId, StepDefinition> = {
  region: regionStep,
  email: emailStep,
  email_code: emailCodeStep,
  password: passwordStep,
  birth_date: birthDateStep,
  guardian_consent: guardianConsentStep,
  terms: termsStep,
  marketing_consent: marketingConsentStep,
  profile_name: profileNameStep,
  identity_verification: identityVerificationStep,
};

/** The steps of this flow, in order: region first, then the region's own. */
export function stepsOf(s: StepState): StepDefinition[] {
  const own = (s.policy?.steps ?? ['email', 'email_code']).map((id) => STEP_TABLE[id]);
  return [regionStep, ...own];
}

/** The next instruction: the first step that applies and is not done; null when all are done. */
export function nextStep(s: StepState): StepDefinition | null {
  return stepsOf(s).find((step) => step.applies(s) && !step.done(s)) ?? null;
}
