import { describe, expect, it } from 'vitest';
import type { RegionPolicy } from '../regions/region-policy';
import type { StepState } from './sign-up/steps/step-types';
import { nextStep, STEP_MESSAGE_IDS, STEP_TABLE } from './sign-up-steps';
import type { AccountSnapshot, FlowRecord } from './sign-up-store';

const US: RegionPolicy = {
  code: 'US',
  defaultLocale: 'en',
  locales: ['en'],
  steps: ['email', 'email_code', 'password', 'birth_date', 'terms'],
  minimumAge: { years: 13, below: 'refuse' },
  documents: [{ id: 'terms', version: '1' }],
  marketing: 'none',
  kycRequired: false,
  phoneCountryCodes: ['1'],
};

const flow = (overrides: Partial<FlowRecord> = {}): FlowRecord => ({
  id: 'f',
  version: 0,
  state: 'active',
  region: 'US',
  locale: 'en',
  interactionUid: null,
  accountId: null,
  email: null,
  cookieBound: true,
  clientRegions: null,
  continueTo: null,
  feedback: null,
  authMethods: null,
  expiresAt: new Date('2030-01-01'),
  createdAt: new Date('2026-01-01'),
  ...overrides,
});

const account = (overrides: Partial<AccountSnapshot> = {}): AccountSnapshot => ({
  id: 'a',
  email: 'a@example.com',
  emailVerified: true,
  status: 'pending',
  region: 'US',
  locale: 'en',
  hasPassword: false,
  hasUpstreamIdentity: false,
  birthDate: null,
  name: null,
  marketingOptIn: null,
  steps: new Set(['email', 'email_code']),
  acceptances: [],
  ...overrides,
});

const next = (s: Partial<StepState>) => nextStep({ flow: flow(), account: null, policy: US, now: new Date('2026-11-22'), ...s })?.id ?? null;

describe('the step table', () => {
  it('has a row for every step, each with its messages', () => {
    expect(Object.keys(STEP_TABLE).sort()).toEqual(Object.keys(STEP_MESSAGE_IDS).sort());
  });

  it('computes the next instruction from the region and what the account has', () => {
    expect(next({ flow: flow({ region: null }), policy: null })).toBe('region');
    expect(next({})).toBe('email');
    expect(next({ flow: flow({ email: 'a@example.com' }) })).toBe('email_code');
    expect(next({ flow: flow({ accountId: 'a' }), account: account() })).toBe('password');
    expect(next({ flow: flow({ accountId: 'a' }), account: account({ hasPassword: true }) })).toBe('birth_date');
    expect(next({ flow: flow({ accountId: 'a' }), account: account({ hasPassword: true, birthDate: '1990-01-01' }) })).toBe('terms');
    const done = account({ hasPassword: true, birthDate: '1990-01-01', acceptances: [{ region: 'US', documentId: 'terms', version: '1' }] });
    expect(next({ flow: flow({ accountId: 'a' }), account: done })).toBeNull();
  });

  it('goes back to the code step for an account whose email is not verified', () => {
    expect(next({ flow: flow({ accountId: 'a' }), account: account({ emailVerified: false, steps: new Set(['email']), hasPassword: true }) })).toBe('email_code');
  });
});
