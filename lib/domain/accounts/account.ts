/** 'pending': created by a sign-up that has not finished its region's steps (no tokens until ready). */
export type AccountStatus = 'pending' | 'active' | 'disabled';

export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['pending', 'active', 'disabled'];

export type Account = {
  id: string;
  /** Normalized with normalizeEmail. */
  email: string;
  emailVerified: boolean;
  /** ISO 3166-1 alpha-2, upper case (e.g. "TW"). */
  countryRegionCode: string;
  /** BCP 47 tag (e.g. "zh-TW"). */
  locale: string;
  status: AccountStatus;
  /** The name the person gave (profile_name step); null when the region did not ask. */
  name: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export function isAccountStatus(value: string): value is AccountStatus {
  return (ACCOUNT_STATUSES as readonly string[]).includes(value);
}

/**
 * The one spelling of an email we store and look up: trimmed, NFC, lower-cased. Lower-casing the
 * local part is technically lossy (RFC 5321), but no mailbox provider we serve distinguishes case,
 * and treating `A@x` and `a@x` as two accounts would be worse.
 */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}
