/**
 * Accounts the journeys sign in with, created once by the global setup through the operator
 * CLI. Successful sign-ins may share an account; anything that records failures (wrong
 * password, lockout) gets its own, so one journey's failures never lock another out.
 */
export type E2eAccount = { email: string; password: string; region: 'JP' | 'TW' | 'HK' | 'US' };

const PASSWORD = 'Meridian-e2e-Passw0rd!';

export const ACCOUNTS = {
  /** Successful sign-ins and logout (JP). */
  hanako: { email: 'hanako.e2e@example.com', password: PASSWORD, region: 'JP' },
  /** Successful sign-ins from Taiwan, so country_region_code is not always JP. */
  meiling: { email: 'meiling.e2e@example.com', password: PASSWORD, region: 'TW' },
  /** Keyboard-only journey. */
  keyboard: { email: 'keyboard.e2e@example.com', password: PASSWORD, region: 'JP' },
  /** Wrong-password journeys, one per locale (each records a failure). */
  wrongPasswordEn: { email: 'wrong-password-en.e2e@example.com', password: PASSWORD, region: 'JP' },
  wrongPasswordJa: { email: 'wrong-password-ja.e2e@example.com', password: PASSWORD, region: 'JP' },
  wrongPasswordZhTw: { email: 'wrong-password-zh-tw.e2e@example.com', password: PASSWORD, region: 'TW' },
  /** Locked out on purpose by the lockout journey. */
  lockout: { email: 'lockout.e2e@example.com', password: PASSWORD, region: 'JP' },
  /** Links a Google identity after a wrong and then the right password (its own: it records a failure). */
  linking: { email: 'linking.e2e@example.com', password: PASSWORD, region: 'TW' },
  /** Passwordless sign-in with a code by email (US offers it). */
  emailCode: { email: 'email-code.e2e@example.com', password: PASSWORD, region: 'US' },
} as const satisfies Record<string, E2eAccount>;

/** An address no account uses: failed sign-ins must look exactly like a wrong password. */
export const UNKNOWN_EMAIL = 'nobody-here.e2e@example.com';
