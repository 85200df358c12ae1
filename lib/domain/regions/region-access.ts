import { AppError } from '../errors';

/**
 * Who may get tokens for which client, by region. Rules, in order (the first that applies decides):
 * 1. the account's region (`country_region_code`) is one of the client's `supported_regions`
 *    → allowed, whatever `region` hint the app sent (the ID token tells it the real region);
 * 2. otherwise → `region_mismatch`: no code and no token. The answer names the account's region;
 *    when the app sent a `region` hint that differs from it, the answer names the hint too and
 *    `switchRegion` is true: the app should switch to the account's region (e.g. its build or
 *    storefront for that region) rather than ask the person to sign in again.
 */

export type RegionAccess =
  | { allowed: true }
  | {
      allowed: false;
      code: 'region_mismatch';
      accountRegion: string;
      supportedRegions: readonly string[];
      /** The app's `region` hint, when it differs from the account's region. */
      requestedRegion: string | undefined;
      switchRegion: boolean;
    };

export type RegionAccessInput = {
  accountRegion: string;
  supportedRegions: readonly string[];
  /** The `region` authorization parameter, if the app sent one (already parsed). */
  requestedRegion?: string | undefined;
};

export function decideRegionAccess({ accountRegion, supportedRegions, requestedRegion }: RegionAccessInput): RegionAccess {
  const account = accountRegion.toUpperCase();
  if (supportedRegions.includes(account)) return { allowed: true };
  const differs = requestedRegion !== undefined && requestedRegion !== account;
  return {
    allowed: false,
    code: 'region_mismatch',
    accountRegion: account,
    supportedRegions,
    requestedRegion: differs ? requestedRegion : undefined,
    switchRegion: differs,
  };
}

/**
 * The `region` authorization parameter: absent, or an ISO 3166-1 alpha-2 code (any case;
 * returned upper case). Anything else is `region.invalid_hint`.
 */
export function parseRegionHint(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z]{2}$/.test(value)) throw new AppError('region.invalid_hint', { status: 400 });
  return value.toUpperCase();
}
