import { type Page } from '@playwright/test';
import { DemoPage } from './pages/demo-page';
import { SignInPage } from './pages/sign-in-page';
import { SignUpPage } from './pages/sign-up-page';
import { AccessibilityChecker } from './support/accessibility';
import { findStoredAccount } from './support/database';
import { codeFrom, uniqueEmail, waitForMail } from './support/mailbox';
import { regionRules } from './support/regions';
import { STRONG_PASSWORD } from './support/sign-up-journey';
import { expect, test } from './support/sign-up-fixtures';
import { textFor } from './support/text';

/**
 * Someone proves their email address in one browser, leaves, and later signs up again in another
 * browser (a new context: no cookies) with the same address. Proving the address again with a
 * new code continues the account they started: the next step is the one where they stopped,
 * the region chosen the first time is kept (it is fixed once the account exists) and the
 * sign-up finishes with the remaining steps. The first browser's flow URL shows "start again"
 * in the second browser (flows are bound to the browser that started them).
 */

test.use({ locale: 'en-US' });

/** Demo app → sign-in page → "Create an account": the sign-up page of a new flow. */
async function openSignUp(page: Page, a11y: AccessibilityChecker): Promise<SignUpPage> {
  const demo = new DemoPage(page, a11y, 'en');
  await demo.goto();
  await demo.startSignIn();
  await new SignInPage(page, a11y, 'en').expectShown();
  await page.getByRole('link', { name: textFor('en', 'signupPage.createAccount'), exact: true }).click();
  return new SignUpPage(page, a11y, 'en');
}

test('leaving after the email code and resuming in a new browser context', async ({ page, a11y, browser, baseURL }, testInfo) => {
  const jp = regionRules('JP');
  const email = uniqueEmail('resume');

  const firstFlowUrl = await test.step('first browser: region JP, email, code, then leave at the password step', async () => {
    const first = await openSignUp(page, a11y);
    await first.expectStep('region');
    await first.chooseRegion('JP');
    await first.expectStep('email');
    await first.enterEmail(email);
    await first.expectStep('email_code');
    await first.enterCode(codeFrom(await waitForMail(email, 0)));
    await first.expectStep('password');
    expect(findStoredAccount(email)).toMatchObject({ status: 'pending', countryRegionCode: 'JP', emailVerified: true, hasPassword: false });
    return page.url();
  });
  await page.context().close();

  const context = await browser.newContext({ baseURL, locale: 'en-US' });
  try {
    const second = await context.newPage();
    const secondA11y = new AccessibilityChecker(second, testInfo);

    await test.step('the first browser’s flow is not usable here', async () => {
      await second.goto(firstFlowUrl);
      await new SignUpPage(second, secondA11y, 'en').expectUnavailable();
    });

    const resumed = await openSignUp(second, secondA11y);
    await test.step('second browser: another region, the same email, a new code', async () => {
      await resumed.expectStep('region');
      await resumed.chooseRegion('TW');
      await resumed.expectStep('email');
      await resumed.enterEmail(email);
      const mail = await waitForMail(email, 1);
      await resumed.expectStep('email_code');
      await resumed.enterCode(codeFrom(mail));
    });

    await test.step('continues the started account where it stopped, in the region chosen first', async () => {
      await resumed.expectStep('password', 'resumed');
      await expect(second.getByRole('main').getByRole('status')).toHaveText(textFor('en', 'signup.region.kept'));
      await resumed.choosePassword(STRONG_PASSWORD);
      await resumed.expectStep('birth_date');
      await resumed.enterBirthDate('1985-11-02');
      await resumed.expectStep('terms');
      await resumed.acceptDocuments(jp.documents);
    });

    const claims = await new DemoPage(second, secondA11y, 'en').expectSignedIn({ email, password: STRONG_PASSWORD, region: 'JP' });
    expect(claims).toMatchObject({ email, country_region_code: 'JP' });
    const account = findStoredAccount(email);
    expect(account).toMatchObject({ status: 'active', countryRegionCode: 'JP', hasPassword: true, birthDate: '1985-11-02' });
  } finally {
    await context.close();
  }
});
