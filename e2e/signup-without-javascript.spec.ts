import { findStoredAccount } from './support/database';
import { AccessibilityChecker } from './support/accessibility';
import { codeFrom, uniqueEmail, waitForMail } from './support/mailbox';
import { BROWSER_LOCALE } from './support/messages';
import { regionRules } from './support/regions';
import { STRONG_PASSWORD } from './support/sign-up-journey';
import { expect, test as base } from './support/sign-up-fixtures';

/**
 * The whole sign-up works with JavaScript disabled: every step is one plain HTML form that posts
 * and is answered with a redirect to the next step. Hong Kong has the most steps (name, two
 * documents, an opt-out marketing box that starts ticked, identity verification), so it exercises
 * every kind of node. axe-core needs to run script in the page, so this journey skips it; the
 * same pages are checked with axe in the other sign-up journeys.
 */
class NoScriptAccessibilityChecker extends AccessibilityChecker {
  override async check(): Promise<void> {
    // axe cannot run without page JavaScript.
  }
}

const test = base.extend({
  a11y: async ({ page }, provide, testInfo) => {
    await provide(new NoScriptAccessibilityChecker(page, testInfo));
  },
});

test.use({ locale: BROWSER_LOCALE['zh-TW'], javaScriptEnabled: false });

test('a Hong Kong sign-up in zh-TW completes with JavaScript disabled', async ({ page, signUp }) => {
  const rules = regionRules('HK');
  const email = uniqueEmail('no-js');

  await page.goto('/signup?region=HK');
  const zh = signUp('zh-TW');
  await zh.expectStep('email');
  await zh.enterEmail(email);
  await zh.expectStep('email_code');
  await zh.enterCode(codeFrom(await waitForMail(email)));
  await zh.expectStep('password');
  await zh.choosePassword(STRONG_PASSWORD);
  await zh.expectStep('profile_name');
  await zh.enterName('陳美玲');
  await zh.expectStep('terms');
  await zh.acceptDocuments(rules.documents);
  await zh.expectStep('marketing_consent');
  await expect(zh.marketing, 'opt-out: the box starts ticked').toBeChecked();
  await zh.answerMarketing(false);
  await zh.expectStep('identity_verification');
  await zh.startVerification();

  await expect(page).toHaveURL(/\/$/);
  const account = findStoredAccount(email);
  expect(account).toMatchObject({ status: 'active', countryRegionCode: 'HK', locale: 'zh-TW', hasPassword: true });
  expect(account?.acceptances.map((a) => a.documentId).sort()).toEqual(rules.documents.map((d) => d.id).sort());
  expect(account?.steps).toEqual(expect.arrayContaining(['profile_name', 'marketing_consent', 'identity_verification']));
});
