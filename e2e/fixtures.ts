import { test as base, expect } from '@playwright/test';
import { DemoPage } from './pages/demo-page';
import { LogoutPage } from './pages/logout-page';
import { SignInPage } from './pages/sign-in-page';
import { AccessibilityChecker } from './support/accessibility';
import { e2eBaseUrl } from './support/base-url';
import type { Locale } from './support/messages';

export type JourneyPages = {
  demo(locale: Locale): DemoPage;
  signIn(locale: Locale): SignInPage;
  logout(locale: Locale): LogoutPage;
};

type JourneyFixtures = {
  /** axe-core on the current page; fails on serious or critical violations. */
  a11y: AccessibilityChecker;
  /** Page objects for the test's page; each checks accessibility on the pages it asserts. */
  pages: JourneyPages;
  /** Fails the test when the browser reports a Content-Security-Policy violation (automatic). */
  cspViolations: string[];
};

export const test = base.extend<JourneyFixtures>({
  // The server the global setup started (its port is only known at run time).
  baseURL: async ({}, provide) => {
    await provide(e2eBaseUrl());
  },
  a11y: async ({ page }, provide, testInfo) => {
    await provide(new AccessibilityChecker(page, testInfo));
  },
  cspViolations: [
    async ({ page }, provide) => {
      const violations: string[] = [];
      // Chromium reports every blocked script, style or frame as a console error naming the policy.
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
      });
      await provide(violations);
      expect(violations, 'Content-Security-Policy violations in the browser console').toEqual([]);
    },
    { auto: true },
  ],
  pages: async ({ page, a11y }, provide) => {
    await provide({
      demo: (locale) => new DemoPage(page, a11y, locale),
      signIn: (locale) => new SignInPage(page, a11y, locale),
      logout: (locale) => new LogoutPage(page, a11y, locale),
    });
  },
});

export { expect };
