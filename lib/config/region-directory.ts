import type { RegionDirectory } from '../domain/flows/sign-up-deps-types';
import type { RegionPolicy } from '../domain/regions/region-policy';
import type { IdpConfig } from './idp-config-schema';

/** A region of idp.config.yaml as the domain's sign-up rules read it. */
export function toRegionPolicy(region: IdpConfig['regions'][number]): RegionPolicy {
  return {
    code: region.code,
    defaultLocale: region.default_locale,
    locales: region.locales,
    steps: region.signup.steps,
    screens: region.signup.screens,
    minimumAge: region.signup.minimum_age ?? null,
    documents: region.signup.documents,
    marketing: region.signup.marketing,
    kycRequired: region.signup.kyc_required,
    phoneCountryCodes: region.phone_country_codes,
  };
}

/** The configured regions, by code. */
export function regionDirectoryOf(config: IdpConfig): RegionDirectory {
  const list = config.regions.map(toRegionPolicy);
  const byCode = new Map(list.map((p) => [p.code, p]));
  return { find: (code) => byCode.get(code), list: () => list };
}
