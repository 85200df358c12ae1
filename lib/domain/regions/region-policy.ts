/**
 * A region's sign-up rules as the domain sees them (idp.config.yaml `regions[]`, validated by
 * lib/config/schema/region-policy-schema.ts and mapped here by lib/config/region-directory.ts).
 */

export const SIGN_UP_STEP_IDS = [
  'email',
  'email_code',
  'password',
  'birth_date',
  'guardian_consent',
  'terms',
  'marketing_consent',
  'profile_name',
  'identity_verification',
] as const;

export type SignUpStepId = (typeof SIGN_UP_STEP_IDS)[number];

export type LegalDocumentRef = { id: string; version: string };

export type RegionPolicy = {
  /** ISO 3166-1 alpha-2. */
  code: string;
  defaultLocale: string;
  locales: readonly string[];
  /** The steps an account of this region completes, in order. */
  steps: readonly SignUpStepId[];
  /**
   * Runs of consecutive `steps` asked for on one screen (one instruction, one submission), e.g.
   * password, birth date and terms; the other steps have a screen each.
   */
  screens?: readonly (readonly SignUpStepId[])[];
  /** Below `years`: refused, or asked for a guardian's consent. */
  minimumAge: { years: number; below: 'refuse' | 'guardian_consent' } | null;
  /** Documents to accept, each at its current version. */
  documents: readonly LegalDocumentRef[];
  marketing: 'opt_in' | 'opt_out' | 'none';
  kycRequired: boolean;
  /** E.164 calling codes (digits, no "+"). */
  phoneCountryCodes: readonly string[];
};

/** The policy of an account whose region is no longer configured: email, code and password only. */
export function fallbackPolicy(code: string, locale: string): RegionPolicy {
  return {
    code,
    defaultLocale: locale,
    locales: [locale],
    steps: ['email', 'email_code', 'password'],
    minimumAge: null,
    documents: [],
    marketing: 'none',
    kycRequired: false,
    phoneCountryCodes: [],
  };
}

/** Steps that may share a screen: a form of their own fields, with no mail or branch before the next one. */
export const SCREEN_STEP_IDS: readonly SignUpStepId[] = ['password', 'birth_date', 'terms', 'marketing_consent', 'profile_name'];

/** Whether `later` is asked for on the same screen as `step`, after it. */
export function laterOnSameScreen(policy: RegionPolicy | null, step: string, later: string): boolean {
  const screen = policy?.screens?.find((s) => s.includes(step as SignUpStepId));
  return screen !== undefined && screen.indexOf(later as SignUpStepId) > screen.indexOf(step as SignUpStepId);
}

/** The locale a region's documents and mails use for someone reading `locale`: it, or the region's default. */
export function regionLocale(policy: RegionPolicy, locale: string): string {
  return policy.locales.includes(locale) ? locale : policy.defaultLocale;
}
