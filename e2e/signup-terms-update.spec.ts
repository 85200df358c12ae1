import { type Browser, type Page } from '@playwright/test';
import { DemoPage } from './pages/demo-page';
import { LegalPage } from './pages/legal-page';
import { SignInPage } from './pages/sign-in-page';
import { SignUpPage } from './pages/sign-up-page';
import { AccessibilityChecker } from './support/accessibility';
import { findStoredAccount } from './support/database';
import { codeFrom, uniqueEmail, waitForMail } from './support/mailbox';
import { BROWSER_LOCALE } from './support/messages';
import { regionRules } from './support/regions';
import { STRONG_PASSWORD } from './support/sign-up-journey';
import { expect, test } from './support/sign-up-fixtures';
import { textFor } from './support/text';
import { startVariantServer } from './support/variant-server';

/**
 * Publishing a new version of a region's terms makes the next sign-in ask for acceptance again.
 * An account signs up in Japan under the current terms; then a second server starts on the same
 * database with a configuration whose JP terms version is bumped (the document for it exists).
 * Signing in there goes through the terms step ("we have updated our documents", the new version
 * in the label and on the document page) before the app gets its code; the sign-in after that
 * does not ask again, and the original server (old version) never asks.
 */

const NEW_TERMS_VERSION = '2026-07';

test.use({ locale: BROWSER_LOCALE.ja });

type Session = { page: Page; a11y: AccessibilityChecker; close(): Promise<void> };

async function newSession(browser: Browser, baseURL: string, testInfo: Parameters<Parameters<typeof test>[2]>[1]): Promise<Session> {
  const context = await browser.newContext({ baseURL, locale: BROWSER_LOCALE.ja });
  const page = await context.newPage();
  return { page, a11y: new AccessibilityChecker(page, testInfo), close: () => context.close() };
}

/** Demo app → "Sign in with Meridian ID" → email and password on the sign-in page. */
async function signInToDemo(session: Session, email: string): Promise<void> {
  const demo = new DemoPage(session.page, session.a11y, 'ja');
  await demo.goto();
  await demo.startSignIn();
  const signIn = new SignInPage(session.page, session.a11y, 'ja');
  await signIn.expectShown();
  await signIn.signIn(email, STRONG_PASSWORD);
}

test('a new terms version forces re-acceptance on the next sign-in', async ({ page, signUp, browser, baseURL }, testInfo) => {
  test.setTimeout(150_000);
  const jp = regionRules('JP');
  const current = jp.documents.find((d) => d.id === 'terms');
  expect(current, 'JP has terms').toBeTruthy();
  expect(current!.version).not.toBe(NEW_TERMS_VERSION);
  const email = uniqueEmail('terms-update');

  await test.step(`sign up in Japan, accepting terms ${current!.version}`, async () => {
    await page.goto('/signup?region=JP');
    const ja = signUp('ja');
    await ja.expectStep('email');
    await ja.enterEmail(email);
    await ja.expectStep('email_code');
    await ja.enterCode(codeFrom(await waitForMail(email)));
    await ja.expectStep('password');
    await ja.choosePassword(STRONG_PASSWORD);
    await ja.expectStep('birth_date');
    await ja.enterBirthDate('1979-03-30');
    await ja.expectStep('terms');
    await ja.acceptDocuments(jp.documents);
    // Without an authorization request the finished sign-up goes to the home page.
    await expect(page).toHaveURL(`${baseURL}/`);
    expect(findStoredAccount(email)?.acceptances).toEqual([{ documentId: 'terms', version: current!.version, locale: 'ja' }]);
  });

  await test.step('the original server signs in without asking again', async () => {
    const session = await newSession(browser, baseURL!, testInfo);
    try {
      await signInToDemo(session, email);
      await new DemoPage(session.page, session.a11y, 'ja').expectSignedIn({ email, password: STRONG_PASSWORD, region: 'JP' });
    } finally {
      await session.close();
    }
  });

  const bumped = await startVariantServer((config) => {
    const region = config.regions.find((r) => r.code === 'JP');
    const terms = region?.signup?.documents?.find((d) => d.id === 'terms');
    if (!terms) throw new Error('JP terms not found in idp.config.yaml');
    terms.version = NEW_TERMS_VERSION;
  });
  try {
    await test.step(`signing in where terms ${NEW_TERMS_VERSION} is published asks to accept it first`, async () => {
      const session = await newSession(browser, bumped.url, testInfo);
      try {
        const visited: string[] = [];
        session.page.on('framenavigated', (frame) => {
          if (frame === session.page.mainFrame()) visited.push(new URL(frame.url()).pathname);
        });
        await signInToDemo(session, email);
        const ja = new SignUpPage(session.page, session.a11y, 'ja');
        await ja.expectStep('terms', 'updated');
        await expect(session.page.getByText(textFor('ja', 'signup.terms.updated'), { exact: true })).toBeVisible();
        await expect(ja.documentCheckbox('terms', NEW_TERMS_VERSION)).toBeVisible();
        await expect(ja.signInLink, 'the account exists: no way "back" to sign-in').toHaveCount(0);

        await ja.documentLink('terms').click();
        await new LegalPage(session.page, session.a11y, 'ja').expectShown({ region: 'JP', id: 'terms', version: NEW_TERMS_VERSION, documentLocale: 'ja' });
        await session.page.goBack();
        await ja.expectStep('terms', 'updated');

        await ja.acceptDocuments([{ id: 'terms', version: NEW_TERMS_VERSION }]);
        const claims = await new DemoPage(session.page, session.a11y, 'ja').expectSignedIn({ email, password: STRONG_PASSWORD, region: 'JP' });
        expect(claims).toMatchObject({ iss: `${bumped.url}/oidc`, email, country_region_code: 'JP' });
        expect(visited.filter((p) => p.startsWith('/signup/')).length, 'the terms step was shown').toBeGreaterThan(0);
      } finally {
        await session.close();
      }
      expect(findStoredAccount(email)?.acceptances).toEqual([
        { documentId: 'terms', version: current!.version, locale: 'ja' },
        { documentId: 'terms', version: NEW_TERMS_VERSION, locale: 'ja' },
      ]);
    });

    await test.step('the sign-in after that does not ask again', async () => {
      const session = await newSession(browser, bumped.url, testInfo);
      try {
        const visited: string[] = [];
        session.page.on('framenavigated', (frame) => {
          if (frame === session.page.mainFrame()) visited.push(new URL(frame.url()).pathname);
        });
        await signInToDemo(session, email);
        await new DemoPage(session.page, session.a11y, 'ja').expectSignedIn({ email, password: STRONG_PASSWORD, region: 'JP' });
        expect(visited.filter((p) => p.startsWith('/signup')), 'no sign-up step').toEqual([]);
      } finally {
        await session.close();
      }
    });
  } finally {
    await bumped.stop();
  }
});
