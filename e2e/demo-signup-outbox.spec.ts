import { DemoPage } from './pages/demo-page';
import { DemoOutboxPage } from './pages/demo-outbox-page';
import { SignUpPage } from './pages/sign-up-page';
import { AccessibilityChecker } from './support/accessibility';
import { uniqueEmail } from './support/mailbox';
import { regionRules } from './support/regions';
import { STRONG_PASSWORD } from './support/sign-up-journey';
import { textFor } from './support/text';
import { expect, test as base } from '@playwright/test';
import { type RunningServer, startServer } from '../tests/support/server-process';

/**
 * `npm run demo` for a newcomer: a production build in demo mode (MERIDIAN_DEMO=1, the demo
 * accounts seeded, no SMTP_URL). Nobody receives mail there, so the demo page links to the demo
 * outbox, where the person reads the sign-up code and finishes signing up.
 */

const test = base.extend<{ a11y: AccessibilityChecker }, { demoServer: RunningServer }>({
  demoServer: [
    async ({}, provide) => {
      // As the `demo` script runs it: its own database, seeded, and no mail relay.
      const server = await startServer({ env: { MERIDIAN_DEMO: '1', SMTP_URL: '' } });
      try {
        await server.cli(['seed']);
        await provide(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ demoServer }, provide) => {
    await provide(demoServer.url);
  },
  a11y: async ({ page }, provide, testInfo) => {
    await provide(new AccessibilityChecker(page, testInfo));
  },
});

test('a person signs up on the demo, reading the code from the demo outbox the demo page links to', async ({ page, context, a11y }) => {
  const rules = regionRules('JP');
  const email = uniqueEmail('demo-outbox');
  const demo = new DemoPage(page, a11y, 'en');
  const outboxLink = page.getByRole('link', { name: textFor('en', 'demo.outboxLink'), exact: true });

  await demo.goto();
  await demo.expectSignedOut();
  await expect(outboxLink).toHaveAttribute('href', '/demo/outbox');
  await demo.startSignIn();
  await page.getByRole('link', { name: textFor('en', 'signupPage.createAccount'), exact: true }).click();

  const signUp = new SignUpPage(page, a11y, 'en');
  await signUp.expectStep('region');
  await signUp.chooseRegion('JP');
  await signUp.expectStep('email');
  await signUp.enterEmail(email);
  await signUp.expectStep('email_code');

  // The person opens the outbox from the demo page in another tab and reads the code there.
  const tab = await context.newPage();
  const tabA11y = new AccessibilityChecker(tab, test.info());
  await new DemoPage(tab, tabA11y, 'en').goto();
  await tab.getByRole('link', { name: textFor('en', 'demo.outboxLink'), exact: true }).click();
  const outbox = new DemoOutboxPage(tab, tabA11y, 'en');
  await outbox.expectShown();
  const code = await outbox.codeFor(email);
  await expect(outbox.mailTo(email).getByRole('heading', { level: 3 })).toHaveText(textFor('en', 'mail.signupCode.subject', { code }));
  await tab.close();

  await signUp.enterCode(code);
  await signUp.expectStep('password');
  await signUp.choosePassword(STRONG_PASSWORD);
  await signUp.expectStep('birth_date');
  await signUp.enterBirthDate('1990-04-15');
  await signUp.expectStep('terms');
  await signUp.acceptDocuments(rules.documents);

  const claims = await demo.expectSignedIn({ email, password: STRONG_PASSWORD, region: 'JP' });
  expect(claims).toMatchObject({ email, country_region_code: 'JP' });
});

test('the demo outbox speaks Japanese and Traditional Chinese too', async ({ browser, demoServer }, testInfo) => {
  for (const locale of ['ja', 'zh-TW'] as const) {
    const context = await browser.newContext({ locale, baseURL: demoServer.url });
    try {
      const page = await context.newPage();
      await page.goto('/demo/outbox');
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await new DemoOutboxPage(page, new AccessibilityChecker(page, testInfo), locale).expectShown();
    } finally {
      await context.close();
    }
  }
});
