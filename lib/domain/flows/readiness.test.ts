import { describe, expect, it } from 'vitest';
import type { RegionPolicy } from '../regions/region-policy';
import { isReady, missingSteps } from './readiness';
import type { AccountSnapshot } from './sign-up-store';

const DE: RegionPolicy = {
  code: 'DE',
  defaultLocale: 'en',
  locales: ['en'],
  steps: ['email', 'email_code', 'password', 'birth_date', 'guardian_consent', 'terms', 'marketing_consent'],
  minimumAge: { years: 16, below: 'guardian_consent' },
  documents: [
    { id: 'terms', version: '2026-01' },
    { id: 'privacy', version: '2026-01' },
  ],
  marketing: 'opt_in',
  kycRequired: false,
  phoneCountryCodes: ['49'],
};
const today = new Date('2026-11-22T00:00:00Z');

function account(overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    id: 'a1',
    email: 'a@example.de',
    emailVerified: true,
    status: 'active',
    region: 'DE',
    locale: 'en',
    hasPassword: true,
    hasUpstreamIdentity: false,
    birthDate: '1990-01-01',
    name: null,
    marketingOptIn: false,
    steps: new Set(['email', 'email_code', 'password', 'birth_date', 'terms', 'marketing_consent']),
    acceptances: [
      { region: 'DE', documentId: 'terms', version: '2026-01' },
      { region: 'DE', documentId: 'privacy', version: '2026-01' },
    ],
    ...overrides,
  };
}

describe('readiness', () => {
  it('is ready when every applicable step is done', () => {
    expect(missingSteps(account(), DE, today)).toEqual([]);
    expect(isReady(account(), DE, today)).toBe(true);
  });

  it('requires the current version of EVERY document: a new version makes the account unready', () => {
    const republished = { ...DE, documents: [{ id: 'terms', version: '2026-07' }, DE.documents[1]!] };
    expect(missingSteps(account(), republished, today)).toEqual(['terms']);
    const otherRegion = account({ acceptances: [{ region: 'US', documentId: 'terms', version: '2026-01' }] });
    expect(missingSteps(otherRegion, DE, today)).toEqual(['terms']);
  });

  it('asks a newly required step of existing accounts', () => {
    expect(missingSteps(account(), { ...DE, steps: [...DE.steps, 'profile_name'] }, today)).toEqual(['profile_name']);
    expect(missingSteps(account({ name: 'Ana' }), { ...DE, steps: [...DE.steps, 'profile_name'] }, today)).toEqual([]);
  });

  it('applies the guardian step only below the minimum age', () => {
    expect(missingSteps(account({ birthDate: '2012-01-01' }), DE, today)).toEqual(['guardian_consent']);
    expect(missingSteps(account({ birthDate: '2010-11-22' }), DE, today)).toEqual([]);
    expect(missingSteps(account({ birthDate: '2010-11-23' }), DE, today)).toEqual(['guardian_consent']);
  });

  it('takes a linked social identity instead of a password, and nothing else', () => {
    const social = account({ hasPassword: false, hasUpstreamIdentity: true, steps: new Set(), birthDate: null, acceptances: [] });
    expect(missingSteps(social, DE, today)).toEqual(['birth_date', 'terms', 'marketing_consent']);
    expect(missingSteps({ ...social, hasUpstreamIdentity: false }, DE, today)).toEqual(['password', 'birth_date', 'terms', 'marketing_consent']);
  });

  it('counts an operator-recorded step as done; never a disabled account', () => {
    const provisioned = account({ birthDate: null, hasPassword: false, emailVerified: false, steps: new Set(DE.steps) });
    expect(isReady(provisioned, DE, today)).toBe(true);
    expect(isReady(account({ status: 'disabled' }), DE, today)).toBe(false);
    expect(missingSteps(account({ emailVerified: false, steps: new Set() , hasPassword: false, birthDate: null, acceptances: [] }), DE, today)).toEqual([
      'email_code',
      'password',
      'birth_date',
      'terms',
      'marketing_consent',
    ]);
  });
});
