import { z } from 'zod';
import { signInMethodsShape } from './sign-in-methods';
import { SCREEN_STEP_IDS, SIGN_UP_STEP_IDS } from '../../domain/regions/region-policy';

/**
 * What a region requires of the people who sign up in it (issue 3): the keys a region entry of
 * idp.config.yaml may carry besides `code`, `default_locale` and `locales`. Rules the checks
 * below enforce, so a policy cannot contradict itself:
 * 1. `signup.steps` starts with `email, email_code` (an account exists once its email is proven)
 *    and names each step at most once;
 * 2. `birth_date` is listed exactly when `minimum_age` is set;
 * 3. `guardian_consent` is listed exactly when `minimum_age.below` is `guardian_consent`, after
 *    `birth_date` (it applies only to people under the minimum age);
 * 4. `terms` is listed exactly when `documents` is not empty; document ids are unique;
 * 5. `marketing_consent` is listed exactly when `marketing` is not `none`;
 * 6. `identity_verification` is listed exactly when `kyc_required` is true;
 * 7. each of `screens` is two or more of `steps` that follow each other there, in that order, all
 *    of them form steps (password, birth_date, terms, marketing_consent, profile_name), and no
 *    step is on two screens.
 * Every key has a default, so a region without a policy signs up with email, code and password.
 */

// One list of step ids: the domain's step table is what the config may name.
export { SIGN_UP_STEP_IDS };

export type SignUpStepIdConfig = (typeof SIGN_UP_STEP_IDS)[number];

const documentSchema = z.strictObject({
  // The document's id: its folder under messages/legal/<REGION>/ and the message legal.documents.<id>.
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ (e.g. terms, privacy)'),
  // The current version; publishing a new one makes every account of the region accept it again.
  version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" (e.g. 2026-01)'),
});

const signupSchema = z.strictObject({
  // The steps a person completes, in order; an account is ready when every one is done.
  steps: z.array(z.enum(SIGN_UP_STEP_IDS)).min(2).default(['email', 'email_code', 'password']),
  // Steps asked for together on one screen (one page, one submission), e.g. [password, birth_date, terms].
  screens: z.array(z.array(z.enum(SIGN_UP_STEP_IDS))).default([]),
  // Youngest age allowed to sign up alone; younger people are refused or need a guardian's consent.
  minimum_age: z
    .strictObject({
      years: z.number().int().min(1).max(25),
      below: z.enum(['refuse', 'guardian_consent']),
    })
    .optional(),
  // Terms, privacy policy…: accepted at sign-up, again whenever the version changes.
  documents: z.array(documentSchema).default([]),
  // opt_in: an unticked box (consent must be given); opt_out: a ticked box; none: not asked.
  marketing: z.enum(['opt_in', 'opt_out', 'none']).default('none'),
  // Identity verification (KYC) at sign-up: records a pending verification (placeholder step).
  kyc_required: z.boolean().default(false),
});

/** Spread into the region schema of idp-config-schema.ts. */
export const regionPolicyShape = {
  // Calling codes (ITU E.164, digits without "+") accepted for phone numbers of this region.
  phone_country_codes: z.array(z.string().regex(/^[1-9][0-9]{0,2}$/, 'digits of a calling code without "+", e.g. 81')).default([]),
  // Sign-up rules of this region (lib/domain/flows/sign-up-steps.ts).
  signup: signupSchema.default(signupSchema.parse({})),
  // Sign-in methods of this region (schema/sign-in-methods.ts).
  ...signInMethodsShape,
};

export type SignUpPolicyConfig = z.infer<typeof signupSchema>;

/** Checks across keys of one region's policy; `path` is relative to the region entry. */
export function checkRegionPolicy(region: { signup: SignUpPolicyConfig }): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const { steps, minimum_age, documents, marketing, kyc_required } = region.signup;
  const at = (...p: (string | number)[]) => ['signup', ...p];
  const has = (s: SignUpStepIdConfig) => steps.includes(s);
  if (steps[0] !== 'email' || steps[1] !== 'email_code') issues.push({ path: at('steps'), message: 'must start with email, email_code' });
  const seen = new Set<string>();
  steps.forEach((s, i) => {
    if (seen.has(s)) issues.push({ path: at('steps', i), message: `step "${s}" is listed twice` });
    seen.add(s);
  });
  const both = (step: SignUpStepIdConfig, condition: boolean, key: string) => {
    if (condition && !has(step)) issues.push({ path: at('steps'), message: `must include ${step} (${key})` });
    if (!condition && has(step)) issues.push({ path: at('steps'), message: `${step} needs ${key}` });
  };
  both('birth_date', minimum_age !== undefined, 'minimum_age');
  both('guardian_consent', minimum_age?.below === 'guardian_consent', 'minimum_age.below: guardian_consent');
  both('terms', documents.length > 0, 'documents');
  both('marketing_consent', marketing !== 'none', 'marketing other than none');
  both('identity_verification', kyc_required, 'kyc_required: true');
  if (has('guardian_consent') && has('birth_date') && steps.indexOf('guardian_consent') < steps.indexOf('birth_date')) {
    issues.push({ path: at('steps'), message: 'guardian_consent must come after birth_date' });
  }
  const onScreen = new Set<string>();
  region.signup.screens.forEach((screen, i) => {
    const start = screen[0] === undefined ? -1 : steps.indexOf(screen[0]);
    if (screen.length < 2) issues.push({ path: at('screens', i), message: 'a screen holds two or more steps' });
    else if (start < 0 || !screen.every((s, j) => steps[start + j] === s)) issues.push({ path: at('screens', i), message: 'must be steps that follow each other in signup.steps, in that order' });
    for (const s of screen) {
      if (!SCREEN_STEP_IDS.includes(s)) issues.push({ path: at('screens', i), message: `${s} has a screen of its own (screens may hold ${SCREEN_STEP_IDS.join(', ')})` });
      if (onScreen.has(s)) issues.push({ path: at('screens', i), message: `step "${s}" is on two screens` });
      onScreen.add(s);
    }
  });
  const ids = new Set<string>();
  documents.forEach((d, i) => {
    if (ids.has(d.id)) issues.push({ path: at('documents', i, 'id'), message: `duplicate document "${d.id}"` });
    ids.add(d.id);
  });
  return issues;
}

/** Rate limits of the sign-up flow (policies.signup in idp.config.yaml). */
export const signUpLimitsSchema = z.strictObject({
  // How long a sign-up flow lives; its id is the only credential of a native client.
  flow_ttl_seconds: z.number().int().min(300).max(86_400).default(3600),
  // Email codes: lifetime, wrong attempts before the code is dead, seconds between two sends.
  code_ttl_seconds: z.number().int().min(5).max(3600).default(600),
  code_max_attempts: z.number().int().min(1).max(10).default(5),
  code_resend_seconds: z.number().int().min(0).max(3600).default(60),
  // Codes (or "someone tried to sign up" notices) one flow may send.
  code_sends_per_flow: z.number().int().positive().default(5),
  // Sends per address and per client IP within an hour: mail bombing and enumeration brakes.
  code_sends_per_email_per_hour: z.number().int().positive().default(5),
  code_sends_per_ip_per_hour: z.number().int().positive().default(100),
  // Wrong codes per client IP within 15 minutes (guessing across many flows).
  code_failures_per_ip: z.number().int().positive().default(50),
  // Flows one client IP may start within 10 minutes.
  flows_per_ip: z.number().int().positive().default(200),
});

export type SignUpLimitsConfig = z.infer<typeof signUpLimitsSchema>;
