import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseIdpConfig } from '../idp-config';

const demo = readFileSync(new URL('../../../idp.config.yaml', import.meta.url), 'utf8');
const vars = { PUBLIC_URL: 'https://id.example.com' };

function errorOf(text: string): string {
  try {
    parseIdpConfig(text, vars);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return 'no error';
}

const minimal = (signup: string) => `regions:\n  - code: JP\n    default_locale: ja\n    locales: [ja]\n    signup: ${signup}\n`;

describe('region policies (idp.config.yaml)', () => {
  it('declares each region’s steps, age rule, documents, marketing, KYC and phone codes', () => {
    const config = parseIdpConfig(demo, vars);
    const byCode = Object.fromEntries(config.regions.map((r) => [r.code, r]));
    expect(byCode.JP?.signup).toMatchObject({ steps: ['email', 'email_code', 'password', 'birth_date', 'terms'], minimum_age: { years: 13, below: 'refuse' } });
    expect(byCode.TW?.signup).toMatchObject({ steps: ['email', 'email_code', 'password', 'terms', 'marketing_consent'], marketing: 'opt_in' });
    expect(byCode.US?.signup.minimum_age).toEqual({ years: 13, below: 'refuse' });
    expect(byCode.DE).toMatchObject({ default_locale: 'en', locales: ['en'], phone_country_codes: ['49'] });
    expect(byCode.DE?.signup).toMatchObject({ minimum_age: { years: 16, below: 'guardian_consent' }, marketing: 'opt_in' });
    expect(byCode.DE?.signup.documents.map((d) => d.id)).toEqual(['terms', 'privacy']);
    expect(byCode.HK?.signup.kyc_required).toBe(true);
    expect(config.policies.signup).toMatchObject({ code_ttl_seconds: 600, code_max_attempts: 5 });
  });

  it('defaults a region without a policy to email, code and password', () => {
    const config = parseIdpConfig('regions:\n  - { code: JP, default_locale: ja, locales: [ja] }\n', vars);
    expect(config.regions[0]?.signup).toEqual({ steps: ['email', 'email_code', 'password'], screens: [], documents: [], marketing: 'none', kyc_required: false });
  });

  it('refuses a policy that contradicts itself, naming the key', () => {
    expect(errorOf(minimal('{ steps: [password, email, email_code] }'))).toContain('regions.0.signup.steps: must start with email, email_code');
    expect(errorOf(minimal('{ steps: [email, email_code, birth_date] }'))).toContain('regions.0.signup.steps: birth_date needs minimum_age');
    expect(errorOf(minimal('{ steps: [email, email_code], documents: [{ id: terms, version: "1" }] }'))).toContain('must include terms (documents)');
    expect(errorOf(minimal('{ steps: [email, email_code], marketing: opt_in }'))).toContain('must include marketing_consent');
    expect(errorOf(minimal('{ steps: [email, email_code, identity_verification] }'))).toContain('identity_verification needs kyc_required: true');
    expect(errorOf(minimal('{ steps: [email, email_code, guardian_consent, birth_date], minimum_age: { years: 16, below: guardian_consent } }'))).toContain(
      'guardian_consent must come after birth_date',
    );
    expect(errorOf(minimal('{ steps: [email, email_code, email] }'))).toContain('regions.0.signup.steps.2: step "email" is listed twice');
    expect(errorOf(minimal('{ steps: [email, email_code, selfie] }'))).toContain('regions.0.signup.steps.2');
    expect(errorOf(minimal('{ steps: [email, email_code, terms], documents: [{ id: "../x", version: "1" }] }'))).toContain('regions.0.signup.documents.0.id');
  });

  it('takes screens of form steps that follow each other, and refuses any other', () => {
    const age = 'minimum_age: { years: 13, below: refuse }';
    const config = parseIdpConfig(minimal(`{ steps: [email, email_code, password, birth_date], ${age}, screens: [[password, birth_date]] }`), vars);
    expect(config.regions[0]?.signup.screens).toEqual([['password', 'birth_date']]);
    expect(parseIdpConfig(demo, vars).regions.find((r) => r.code === 'US')?.signup.screens).toEqual([['password', 'birth_date', 'terms']]);
    const steps = `steps: [email, email_code, password, birth_date, profile_name], ${age}`;
    expect(errorOf(minimal(`{ ${steps}, screens: [[password, profile_name]] }`))).toContain('regions.0.signup.screens.0: must be steps that follow each other in signup.steps, in that order');
    expect(errorOf(minimal(`{ ${steps}, screens: [[birth_date, password]] }`))).toContain('must be steps that follow each other');
    expect(errorOf(minimal(`{ ${steps}, screens: [[email_code, password]] }`))).toContain('email_code has a screen of its own');
    expect(errorOf(minimal(`{ ${steps}, screens: [[password]] }`))).toContain('a screen holds two or more steps');
    expect(errorOf(minimal(`{ ${steps}, screens: [[password, birth_date], [birth_date, profile_name]] }`))).toContain('regions.0.signup.screens.1: step "birth_date" is on two screens');
  });
});
