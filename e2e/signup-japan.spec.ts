import { findStoredAccount } from './support/database';
import { codeFrom, mailFor, uniqueEmail, waitForMail } from './support/mailbox';
import { isoDateFromToday, regionRules } from './support/regions';
import { STRONG_PASSWORD } from './support/sign-up-journey';
import { expect, test } from './support/sign-up-fixtures';
import { textFor } from './support/text';

/**
 * A person in Japan, with a Japanese browser, follows the demo app's "Sign in" link and then
 * "Create an account" on the sign-in page: the region is chosen on the first step (the app
 * serves every region), Japan's steps include the date of birth, and the sign-up ends in the
 * original authorization request with an ID token for a JP account.
 */

test.use({ locale: 'ja-JP' });

test('signs up in ja with the birth-date step, from the sign-in page’s link', async ({ page, pages, signUp, baseURL }) => {
  const rules = regionRules('JP');
  expect(rules.steps, 'Japan asks for the date of birth').toContain('birth_date');
  const email = uniqueEmail('japan');

  const demo = pages.demo('ja');
  await demo.goto();
  await demo.startSignIn();
  const signIn = pages.signIn('ja');
  await signIn.expectShown();
  const interactionPath = new URL(page.url()).pathname;

  await test.step('the sign-in page links to sign-up, keeping the authorization request', async () => {
    const link = page.getByRole('link', { name: textFor('ja', 'signupPage.createAccount'), exact: true });
    await expect(link).toHaveAttribute('href', `/signup?interaction=${interactionPath.split('/').pop()}`);
    await link.click();
  });

  const ja = signUp('ja');
  await test.step('region: chosen by the person (the app serves several)', async () => {
    await ja.expectStep('region');
    await expect(page.getByText(textFor('ja', 'signup.region.hint'), { exact: true })).toBeVisible();
    await ja.chooseRegion('JP');
  });

  await test.step('the way back to sign-in returns to the same authorization request', async () => {
    await ja.expectStep('email');
    await expect(ja.signInLink).toHaveAttribute('href', `${interactionPath}?mode=signin`);
  });

  await test.step('email and code', async () => {
    await ja.enterEmail(email);
    const mail = await waitForMail(email);
    expect(mail.subject).toBe(textFor('ja', 'mail.signupCode.subject', { code: codeFrom(mail) }));
    await ja.expectStep('email_code');
    await ja.enterCode(codeFrom(mail));
  });

  await test.step('password', async () => {
    await ja.expectStep('password');
    await ja.choosePassword(STRONG_PASSWORD);
  });

  await test.step('birth date: an adult', async () => {
    await ja.expectStep('birth_date');
    await expect(page.getByText(textFor('ja', 'signup.birth_date.intro'), { exact: true })).toBeVisible();
    await expect(ja.birthDate).toHaveAttribute('max', isoDateFromToday({}));
    await ja.enterBirthDate('1990-04-15');
  });

  await test.step('terms', async () => {
    await ja.expectStep('terms');
    for (const doc of rules.documents) await expect(ja.documentLink(doc.id)).toHaveAttribute('href', `/legal/JP/${doc.id}`);
    await ja.acceptDocuments(rules.documents);
  });

  const claims = await pages.demo('ja').expectSignedIn({ email, password: STRONG_PASSWORD, region: 'JP' });
  expect(claims).toMatchObject({ iss: `${baseURL}/oidc`, email, country_region_code: 'JP' });

  expect(await mailFor(email), 'one mail: the code').toHaveLength(1);
  const account = findStoredAccount(email);
  expect(account).toMatchObject({ status: 'active', countryRegionCode: 'JP', locale: 'ja', birthDate: '1990-04-15', hasPassword: true });
  expect(account?.acceptances).toEqual(rules.documents.map((d) => ({ documentId: d.id, version: d.version, locale: 'ja' })));
});
