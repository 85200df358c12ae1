import { LinkAccountPage } from './pages/link-account-page';
import { SignInMethods } from './pages/sign-in-methods';
import { SocialProviderPage } from './pages/social-provider-page';
import { ACCOUNTS } from './support/accounts';
import { findStoredAccount } from './support/database';
import { codeFrom, mailFor, uniqueEmail, waitForMail } from './support/mailbox';
import { BROWSER_LOCALE } from './support/messages';
import { submitAndWait } from './support/navigation';
import { regionRules } from './support/regions';
import { expect, test } from './support/sign-up-fixtures';
import { textFor } from './support/text';

/**
 * Social sign-in through an upstream OpenID provider: the global setup starts a second
 * `oidc-provider` on 127.0.0.1 that stands in for LINE and Google (idp.config.yaml's presets with
 * the issuer, client id and secret overridden from the environment). Our server discovers it,
 * sends the person there with PKCE, state and nonce, validates the ID token on the way back, and
 * decides: create, sign in, or link after the existing account's password.
 */

test.describe('in English', () => {
  test('LINE: the first sign-in creates a Japanese account asking only what LINE did not prove; the next one signs straight in', async ({ page, pages, signUp, a11y, baseURL }) => {
    const email = uniqueEmail('line');
    const demo = pages.demo('en');
    const signIn = pages.signIn('en');
    const methods = new SignInMethods(page, a11y, 'en');
    const provider = new SocialProviderPage(page);

    await demo.goto();
    await demo.startSignIn();
    await signIn.expectShown();
    await methods.expectRegion('JP');
    await submitAndWait(page, () => methods.socialButton('line').click());
    await provider.expectShown();
    await provider.signIn(email);

    const steps = signUp('en');
    await test.step('back at Meridian ID: no email, code or password (LINE proved them), only Japan’s other steps', async () => {
      await steps.expectStep('birth_date');
      await steps.enterBirthDate('1994-07-21');
      await steps.expectStep('terms');
      await steps.acceptDocuments(regionRules('JP').documents);
    });

    const first = await demo.expectSignedIn({ email, password: '', region: 'JP' });
    expect(first).toMatchObject({ iss: `${baseURL}/oidc`, email, email_verified: true, country_region_code: 'JP', amr: ['fed'], acr: 'urn:meridian:aal1' });
    expect(await mailFor(email), 'no verification mail: LINE verified the address').toHaveLength(0);
    expect(findStoredAccount(email)).toMatchObject({ status: 'active', countryRegionCode: 'JP', emailVerified: true, hasPassword: false, upstreamIdentities: [`line:${email}`] });

    await test.step('a new browser session: LINE again, straight into the app with the same account', async () => {
      await page.context().clearCookies();
      await demo.goto();
      await demo.startSignIn();
      await signIn.expectShown();
      await submitAndWait(page, () => methods.socialButton('line').click());
      await provider.signIn(email);
      const second = await demo.expectSignedIn({ email, password: '', region: 'JP' });
      expect(second).toMatchObject({ sub: first.sub, email, amr: ['fed'] });
    });
  });

  test('an account made with LINE has no password: Google is linked to it with a code mailed to its address', async ({ page, pages, signUp, a11y }) => {
    const email = uniqueEmail('line-then-google');
    const demo = pages.demo('en');
    const signIn = pages.signIn('en');
    const methods = new SignInMethods(page, a11y, 'en');
    const provider = new SocialProviderPage(page);
    const link = new LinkAccountPage(page, a11y, 'en');

    await demo.goto();
    await demo.startSignIn();
    await signIn.expectShown();
    await submitAndWait(page, () => methods.socialButton('line').click());
    await provider.signIn(email);
    const steps = signUp('en');
    await steps.expectStep('birth_date');
    await steps.enterBirthDate('1988-01-30');
    await steps.expectStep('terms');
    await steps.acceptDocuments(regionRules('JP').documents);
    const first = await demo.expectSignedIn({ email, password: '', region: 'JP' });

    await page.context().clearCookies();
    await demo.goto();
    await demo.startSignIn();
    await signIn.expectShown();
    await submitAndWait(page, () => methods.socialButton('google').click());
    await provider.signIn(email);
    await link.expectCodeOffered(email, 'Google');
    await link.requestCode();
    const mail = await waitForMail(email);
    expect(mail.subject).toBe(textFor('en', 'mail.signinCode.subject', { code: codeFrom(mail) }));
    await link.enterCode(codeFrom(mail), 'Google');

    const linked = await demo.expectSignedIn({ email, password: '', region: 'JP' });
    expect(linked).toMatchObject({ sub: first.sub, amr: ['otp', 'fed'] });
    expect(findStoredAccount(email)?.upstreamIdentities).toEqual([`google:${email}`, `line:${email}`]);
  });

  test('an identity without a verified email comes back to the sign-in page with a clear message, and nothing is created', async ({ page, pages, a11y }) => {
    const email = uniqueEmail('unverified+line');
    const demo = pages.demo('en');
    const signIn = pages.signIn('en');
    const methods = new SignInMethods(page, a11y, 'en');
    await demo.goto();
    await demo.startSignIn();
    await signIn.expectShown();
    await submitAndWait(page, () => methods.socialButton('google').click());
    await new SocialProviderPage(page).signIn(email);
    await expect(signIn.heading).toBeVisible();
    await expect(signIn.alert).toHaveText(textFor('en', 'signin.upstream_email_unverified'));
    await expect(signIn.email).not.toHaveAttribute('aria-invalid', 'true');
    await a11y.check('sign-in page after an unverified social identity (en)');
    expect(findStoredAccount(email)).toBeNull();
  });
});

test.describe('in Traditional Chinese', () => {
  test.use({ locale: BROWSER_LOCALE['zh-TW'] });

  test('Google: an identity whose email already has an account is linked only after that account’s password', async ({ page, pages, a11y }) => {
    const account = ACCOUNTS.linking;
    const demo = pages.demo('zh-TW');
    const signIn = pages.signIn('zh-TW');
    const methods = new SignInMethods(page, a11y, 'zh-TW');
    const provider = new SocialProviderPage(page);
    const link = new LinkAccountPage(page, a11y, 'zh-TW');
    const google = textFor('zh-TW', 'signin.providers.google');

    await demo.goto();
    await demo.startSignIn();
    await signIn.expectShown();
    await methods.chooseRegion('TW');
    await submitAndWait(page, () => methods.socialButton('google').click());
    await provider.signIn(account.email);

    await test.step('the provider’s word is not enough: the existing account’s password is asked for', async () => {
      await link.expectShown(account.email, google);
      expect(findStoredAccount(account.email)?.upstreamIdentities).toEqual([]);
      await link.enterPassword('not-the-password', google);
      await expect(link.alert).toHaveText(textFor('zh-TW', 'signin.invalid_credentials'));
      await expect(link.password).toHaveAttribute('aria-invalid', 'true');
      expect(findStoredAccount(account.email)?.upstreamIdentities).toEqual([]);
      await link.enterPassword(account.password, google);
    });

    const linked = await demo.expectSignedIn(account);
    expect(linked).toMatchObject({ email: account.email, country_region_code: 'TW', amr: ['pwd', 'fed'] });
    expect(findStoredAccount(account.email)?.upstreamIdentities).toEqual([`google:${account.email}`]);

    await test.step('next time Google alone signs in to the linked account', async () => {
      await page.context().clearCookies();
      await demo.goto();
      await demo.startSignIn();
      await signIn.expectShown();
      await submitAndWait(page, () => methods.socialButton('google').click());
      await provider.signIn(account.email);
      const again = await demo.expectSignedIn(account);
      expect(again).toMatchObject({ sub: linked.sub, amr: ['fed'] });
    });
  });
});
