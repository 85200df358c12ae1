import { findStoredAccount } from './support/database';
import { codeFrom, uniqueEmail, waitForMail } from './support/mailbox';
import { regionRules } from './support/regions';
import { STRONG_PASSWORD, demoAuthorizationUrl } from './support/sign-up-journey';
import { expect, test } from './support/sign-up-fixtures';
import { textFor } from './support/text';

/**
 * A person in Taiwan signs up from a client's authorization request (OpenID Connect
 * "Initiating User Registration": prompt=create, with ui_locales=zh-TW and the app's region
 * hint region=TW) in an English browser: every page and the mail are in Traditional Chinese,
 * the region is preselected, the steps are Taiwan's (email, code, password, terms, marketing
 * opt-in), and the app receives a code whose ID token says country_region_code TW.
 */

test.use({ locale: 'en-US' });

test('signs up in zh-TW from prompt=create through to the code at the app', async ({ page, signUp, legal, pages, baseURL }) => {
  const rules = regionRules('TW');
  const email = uniqueEmail('taiwan');
  const callbacks: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/demo/callback') callbacks.push(request.url());
  });

  await page.goto(await demoAuthorizationUrl(page.request, baseURL!, { prompt: 'create', ui_locales: 'zh-TW', region: 'TW' }));

  const zh = signUp('zh-TW');
  await test.step('email: the region is preselected from region=TW, and sign-in is one link away', async () => {
    await zh.expectStep('email');
    await expect(zh.region, 'no region question').toHaveCount(0);
    await expect(zh.signInLink).toHaveAttribute('href', /^\/interaction\/[^/?#]+\?mode=signin$/);
    await zh.enterEmail(email);
  });

  await test.step('email code: a localized mail over SMTP, the code typed in', async () => {
    const mail = await waitForMail(email);
    const code = codeFrom(mail);
    expect(mail.subject).toBe(textFor('zh-TW', 'mail.signupCode.subject', { code }));
    expect(mail.text).toContain(textFor('zh-TW', 'mail.signupCode.intro'));
    expect(mail.html).toContain('lang="zh-TW"');
    await zh.expectStep('email_code');
    await expect(page.getByText(textFor('zh-TW', 'signup.code.sent', { email, minutes: 10 }), { exact: true })).toBeVisible();
    await zh.enterCode(code);
  });

  await test.step('password: the language switcher keeps the flow', async () => {
    await zh.expectStep('password');
    const flowUrl = page.url();
    const en = await zh.switchLanguage('en');
    await en.expectStep('password');
    expect(page.url(), 'the same flow continues').toBe(flowUrl);
    const zhAgain = await en.switchLanguage('zh-TW');
    await zhAgain.expectStep('password');
    await zhAgain.choosePassword(STRONG_PASSWORD);
  });

  await test.step('terms: each checkbox label links to the document, readable in zh-TW', async () => {
    await zh.expectStep('terms');
    await expect(page.getByText(textFor('zh-TW', 'signup.terms.intro'), { exact: true })).toBeVisible();
    for (const doc of rules.documents) {
      await expect(zh.documentCheckbox(doc.id, doc.version)).not.toBeChecked();
      await expect(zh.documentLink(doc.id)).toHaveAttribute('href', `/legal/TW/${doc.id}`);
      await zh.documentLink(doc.id).click();
      await legal('zh-TW').expectShown({ region: 'TW', id: doc.id, version: doc.version, documentLocale: 'zh-TW' });
      await page.goBack();
      await zh.expectStep('terms');
    }
    await zh.acceptDocuments(rules.documents);
  });

  await test.step('marketing: opt-in, so the box starts unticked and stays so', async () => {
    await zh.expectStep('marketing_consent');
    await expect(zh.marketing).not.toBeChecked();
    await zh.answerMarketing(false);
  });

  await test.step('the app receives the code; the ID token says TW', async () => {
    const claims = await pages.demo('zh-TW').expectSignedIn({ email, password: STRONG_PASSWORD, region: 'TW' });
    expect(claims).toMatchObject({ iss: `${baseURL}/oidc`, email, country_region_code: 'TW' });
    expect(callbacks, 'one authorization response').toHaveLength(1);
    expect(new URL(callbacks[0]!).searchParams.get('code')).toBeTruthy();
  });

  const account = findStoredAccount(email);
  expect(account).toMatchObject({ status: 'active', countryRegionCode: 'TW', locale: 'zh-TW', emailVerified: true, hasPassword: true });
  expect(account?.acceptances).toEqual(rules.documents.map((d) => ({ documentId: d.id, version: d.version, locale: 'zh-TW' })));
  expect(account?.steps).toEqual(expect.arrayContaining(['email', 'email_code', 'password', 'terms', 'marketing_consent']));
});
