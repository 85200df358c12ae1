import { AppError } from '../errors';

/**
 * Who may get tokens for which client, by region. Rules, in order (the first that applies decides):
 * 1. the app sent a `region` hint that differs from the account's region (`country_region_code`)
 *    → `region_mismatch` naming both, `switchRegion`: the app selected a region before sign-in
 *    and must switch (e.g. to its build or storefront for the account's region) rather than
 *    silently get a code for another region — also when the client serves both regions;
 * 2. the account's region is one of the client's `supported_regions` → allowed (no hint, or the
 *    hint names the account's region);
 * 3. otherwise → `region_mismatch` naming the account's region: no code and no token.
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
  const differs = requestedRegion !== undefined && requestedRegion !== account;
  if (!differs && supportedRegions.includes(account)) return { allowed: true };
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
