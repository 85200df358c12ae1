import { findStoredAccount } from './support/database';
import { codeFrom, uniqueEmail, waitForMail } from './support/mailbox';
import { isoDateFromToday, regionRules } from './support/regions';
import { STRONG_PASSWORD } from './support/sign-up-journey';
import { expect, test } from './support/sign-up-fixtures';
import { textFor } from './support/text';

/**
 * The United States refuses sign-ups below the minimum age (COPPA, 13 in the demo config): a
 * child who gives a birth date below it gets a clear message in their language, the flow ends,
 * nothing of the attempt is kept (the pending account created at the email code is deleted),
 * and "Back to the app" answers the app's authorization request with access_denied.
 */

test.use({ locale: 'en-US' });

test('a US sign-up below the minimum age is refused with a localized message and leaves no account', async ({ page, pages, signUp }) => {
  const rules = regionRules('US');
  expect(rules.minimumAge).toMatchObject({ below: 'refuse' });
  const years = rules.minimumAge!.years;
  const email = uniqueEmail('underage');

  await pages.demo('en').goto();
  await pages.demo('en').startSignIn();
  await pages.signIn('en').expectShown();
  await page.getByRole('link', { name: textFor('en', 'signupPage.createAccount'), exact: true }).click();

  const en = signUp('en');
  await en.expectStep('region');
  await en.chooseRegion('US');
  await en.expectStep('email');
  await en.enterEmail(email);
  await en.expectStep('email_code');
  await en.enterCode(codeFrom(await waitForMail(email)));
  // The US asks for the password, the date of birth and the terms on one screen.
  await en.expectStep('password');
  await en.expectStep('birth_date');
  await en.expectStep('terms');
  expect(findStoredAccount(email), 'a pending account exists until the age is known').toMatchObject({ status: 'pending' });

  // One day short of the minimum age.
  await en.enterDetails({ password: STRONG_PASSWORD, birthDate: isoDateFromToday({ years: -years, days: 1 }), documents: rules.documents });

  const back = await en.expectRefused(textFor('en', 'signup.age.refused', { years }), textFor('en', 'signup.refused.back_to_app'));
  expect(findStoredAccount(email), 'nothing of the refused sign-up is kept').toBeNull();

  // Reloading the page does not bring the form back.
  await page.reload();
  await en.expectRefused(textFor('en', 'signup.age.refused', { years }), textFor('en', 'signup.refused.back_to_app'));

  const callback = page.waitForRequest((r) => new URL(r.url()).pathname === '/demo/callback');
  await back.click();
  const response = new URL((await callback).url());
  expect(response.searchParams.get('error')).toBe('access_denied');
  expect(response.searchParams.get('code')).toBeNull();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(textFor('en', 'demo.error', { error: 'access_denied' }));
  await pages.demo('en').expectSignedOut();
});
