import { SignUpPage } from './pages/sign-up-page';
import { AccessibilityChecker } from './support/accessibility';
import { findStoredAccount } from './support/database';
import { codeFrom, mailFor, uniqueEmail, waitForMail } from './support/mailbox';
import { BROWSER_LOCALE, type Locale } from './support/messages';
import { isoDateFromToday, regionRules } from './support/regions';
import { COMMON_PASSWORD, STRONG_PASSWORD } from './support/sign-up-journey';
import { expect, test } from './support/sign-up-fixtures';
import { textFor } from './support/text';
import { startVariantServer } from './support/variant-server';

/**
 * Bad input on every step gets a localized message tied to its field (aria-invalid,
 * aria-describedby, focus), passes axe in that state, and writes nothing: no account for a
 * malformed email or a code that is wrong five times or expired; no password for a common one;
 * no birth date from the future. After each error the person can still go on.
 */

const CODE_MAX_ATTEMPTS = 5;

/** Another 6-digit code than `code`. */
function wrongCode(code: string, n: number): string {
  return String((Number(code) + 1000 * n + 1) % 1_000_000).padStart(6, '0');
}

test.describe('in Traditional Chinese', () => {
  test.use({ locale: BROWSER_LOCALE['zh-TW'] });

  test('a malformed email is refused on the email step; nothing is sent or created', async ({ page, signUp }) => {
    const email = uniqueEmail('malformed');
    await page.goto('/signup?region=TW');
    const zh = signUp('zh-TW');
    await zh.expectStep('email');
    const message = textFor('zh-TW', 'signup.email.invalid');

    for (const typed of ['not-an-email', `${email.replace('@', '@@')}`, 'mei@localhost']) {
      await zh.enterEmail(typed);
      await zh.expectFieldError(zh.email, message, 'email');
      await expect(zh.email, 'what was typed is kept').toHaveValue(typed);
    }
    expect(await mailFor(email.replace('@', '@@')), 'no mail').toEqual([]);
    expect(findStoredAccount(email)).toBeNull();

    await zh.enterEmail(email);
    await zh.expectStep('email_code');
  });
});

test.describe('in English', () => {
  test.use({ locale: BROWSER_LOCALE.en });

  test('a wrong code five times kills the code; even the right one is then refused; no account', async ({ page, signUp }) => {
    const email = uniqueEmail('wrong-code');
    await page.goto('/signup?region=US');
    const en = signUp('en');
    await en.expectStep('email');
    await en.enterEmail(email);
    await en.expectStep('email_code');
    const code = codeFrom(await waitForMail(email));

    await test.step('a code that is not 6 digits is not even counted', async () => {
      await en.enterCode('12ab');
      await en.expectFieldError(en.code, textFor('en', 'signup.code.invalid_format'), 'email_code');
    });

    for (let attempt = 1; attempt < CODE_MAX_ATTEMPTS; attempt += 1) {
      await test.step(`wrong code ${attempt}`, async () => {
        await en.enterCode(wrongCode(code, attempt));
        await en.expectFieldError(en.code, textFor('en', 'signup.code.wrong', { remaining: CODE_MAX_ATTEMPTS - attempt }), 'email_code');
        await expect(en.code, 'a code is never shown again').toHaveValue('');
      });
    }
    const locked = textFor('en', 'signup.code.locked');
    await test.step(`wrong code ${CODE_MAX_ATTEMPTS} locks the code`, async () => {
      await en.enterCode(wrongCode(code, CODE_MAX_ATTEMPTS));
      await en.expectFieldError(en.code, locked, 'email_code');
    });
    await test.step('the right code is refused too', async () => {
      await en.enterCode(code);
      await en.expectFieldError(en.code, locked, 'email_code');
    });
    expect(findStoredAccount(email), 'no account').toBeNull();
  });

  test('an expired code is refused; a new code then works', async ({ browser }, testInfo) => {
    // The shortest code lifetime the configuration allows is a minute: wait it out once.
    test.setTimeout(180_000);
    const server = await startVariantServer((config) => {
      config.policies = { ...config.policies, signup: { ...config.policies?.signup, code_ttl_seconds: 60 } };
    });
    const context = await browser.newContext({ baseURL: server.url, locale: BROWSER_LOCALE.en });
    try {
      const page = await context.newPage();
      const a11y = new AccessibilityChecker(page, testInfo);
      const en = new SignUpPage(page, a11y, 'en');
      const email = uniqueEmail('expired-code');
      await page.goto('/signup?region=US');
      await en.expectStep('email');
      await en.enterEmail(email);
      await en.expectStep('email_code');
      await expect(page.getByText(textFor('en', 'signup.code.sent', { email, minutes: 1 }), { exact: true })).toBeVisible();
      const code = codeFrom(await waitForMail(email));

      await page.waitForTimeout(61_000);
      await en.enterCode(code);
      await en.expectFieldError(en.code, textFor('en', 'signup.code.expired'), 'email_code');
      expect(findStoredAccount(email), 'no account').toBeNull();

      await test.step('"Send a new code" sends one that works', async () => {
        await en.button('resend').click();
        await en.expectStep('email_code', 'resent');
        await expect(page.getByRole('main').getByRole('status')).toHaveText(textFor('en', 'signup.code.resent', { email }));
        await en.enterCode(codeFrom(await waitForMail(email, 1)));
        await en.expectStep('password');
      });
    } finally {
      await context.close();
      await server.stop();
    }
  });
});

test.describe('in Japanese', () => {
  test.use({ locale: BROWSER_LOCALE.ja });

  /** A JP sign-up up to the password step; returns the page object and the address. */
  async function toPasswordStep(page: import('@playwright/test').Page, signUp: (l: Locale) => SignUpPage, label: string) {
    const email = uniqueEmail(label);
    await page.goto('/signup?region=JP');
    const ja = signUp('ja');
    await ja.expectStep('email');
    await ja.enterEmail(email);
    await ja.expectStep('email_code');
    await ja.enterCode(codeFrom(await waitForMail(email)));
    await ja.expectStep('password');
    return { ja, email };
  }

  test('a common or short password is refused with the strength shown; no password is stored', async ({ page, signUp }) => {
    const { ja, email } = await toPasswordStep(page, signUp, 'common-password');

    await ja.choosePassword('short');
    await ja.expectFieldError(ja.password, textFor('ja', 'signup.password.too_short', { min: 15 }), 'password');

    await ja.choosePassword(COMMON_PASSWORD);
    await ja.expectFieldError(ja.password, textFor('ja', 'signup.password.common'), 'password');
    await expect(ja.password, 'a password is never sent back').toHaveValue('');
    await expect(ja.strengthMeter).toBeVisible();
    const level = await ja.strengthMeter.getAttribute('aria-valuetext');
    expect([textFor('ja', 'flow.strength.veryWeak'), textFor('ja', 'flow.strength.weak'), textFor('ja', 'flow.strength.fair')]).toContain(level);
    expect(findStoredAccount(email)).toMatchObject({ status: 'pending', hasPassword: false });

    await ja.choosePassword(STRONG_PASSWORD);
    await ja.expectStep('birth_date');
    expect(findStoredAccount(email)).toMatchObject({ status: 'pending', hasPassword: true });
  });

  test('a birth date in the future is refused; nothing is stored', async ({ page, signUp }) => {
    const { ja, email } = await toPasswordStep(page, signUp, 'future-birth-date');
    await ja.choosePassword(STRONG_PASSWORD);
    await ja.expectStep('birth_date');

    const tomorrow = isoDateFromToday({ days: 1 });
    await ja.enterBirthDate(tomorrow);
    await ja.expectFieldError(ja.birthDate, textFor('ja', 'signup.birth_date.future'), 'birth_date');
    await expect(ja.birthDate, 'what was typed is kept').toHaveValue(tomorrow);
    expect(findStoredAccount(email)).toMatchObject({ status: 'pending', birthDate: null });

    await ja.enterBirthDate('2000-02-29');
    await ja.expectStep('terms');
    await ja.acceptDocuments(regionRules('JP').documents);
    await expect(page).toHaveURL(/\/$/);
    expect(findStoredAccount(email)).toMatchObject({ status: 'active', birthDate: '2000-02-29' });
  });
});

