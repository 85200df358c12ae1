import { test as base } from '../fixtures';
import { LegalPage } from '../pages/legal-page';
import { SignUpPage } from '../pages/sign-up-page';
import type { Locale } from './messages';

type SignUpFixtures = {
  /** The sign-up page object for the test's page, in a locale. */
  signUp: (locale: Locale) => SignUpPage;
  legal: (locale: Locale) => LegalPage;
};

/** The journey fixtures (a11y, pages) plus the sign-up and legal page objects. */
export const test = base.extend<SignUpFixtures>({
  signUp: async ({ page, a11y }, provide) => {
    await provide((locale) => new SignUpPage(page, a11y, locale));
  },
  legal: async ({ page, a11y }, provide) => {
    await provide((locale) => new LegalPage(page, a11y, locale));
  },
});

export { expect } from '@playwright/test';
