import { EmailCodePage } from './pages/email-code-page';
import { SignInMethods } from './pages/sign-in-methods';
import { ACCOUNTS } from './support/accounts';
import { codeFrom, mailFor, waitForMail } from './support/mailbox';
import { expect, test } from './fixtures';
import { textFor } from './support/text';

/**
 * Passwordless sign-in: regions that list `email_code` in signin_methods (Japan, the US) offer a
 * one-time code by email on the sign-in page; the code (6 digits, 10 minutes, 5 tries) signs in
 * with one factor (acr aal1, amr otp).
 */

test.describe('in English', () => {
  test('the US page offers a sign-in code by email; a wrong code says how many tries are left; the right one signs in', async ({ page, pages, a11y }) => {
    const account = ACCOUNTS.emailCode;
    const demo = pages.demo('en');
    const signIn = pages.signIn('en');
    const methods = new SignInMethods(page, a11y, 'en');
    const codePage = new EmailCodePage(page, a11y, 'en');
    const startLink = page.getByRole('link', { name: textFor('en', 'emailCode.start'), exact: true });

    await demo.goto();
    await demo.startSignIn();
    await signIn.expectShown();
    await methods.chooseRegion('TW');
    await expect(startLink, 'Taiwan does not offer email codes').toHaveCount(0);
    await methods.chooseRegion('US');
    await expect(startLink).toBeVisible();
    await startLink.click();

    const before = (await mailFor(account.email)).length;
    await codePage.requestCode(account.email);
    await expect(page.getByText(textFor('en', 'emailCode.sent', { email: account.email }), { exact: true })).toBeVisible();
    const mail = await waitForMail(account.email, before);
    const code = codeFrom(mail);
    expect(mail.subject).toBe(textFor('en', 'mail.signinCode.subject', { code }));

    await codePage.enterCode(code === '000000' ? '111111' : '000000');
    await expect(codePage.alert).toHaveText(textFor('en', 'signin.code_invalid', { attempts: 4 }));
    await expect(codePage.code).toHaveAttribute('aria-invalid', 'true');
    await a11y.check('email-code page with a wrong code (en)');

    await codePage.enterCode(code);
    const claims = await demo.expectSignedIn(account);
    expect(claims).toMatchObject({ email: account.email, country_region_code: 'US', amr: ['otp'], acr: 'urn:meridian:aal1' });
  });
});
