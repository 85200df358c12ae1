import { expect, test } from './fixtures';
import { ACCOUNTS } from './support/accounts';
import { messagesFor, translatorFor } from './support/messages';

/**
 * The demo policy (idp.config.yaml, policies.sign_in_lockout) locks an email after 5 failures
 * for 60 s: attempts 1–4 say "incorrect", the 5th says "locked", and while locked even the
 * right password is refused with the same message.
 */

const MAX_FAILURES = 5;

test('locks the account after 5 failed attempts, even against the right password', async ({ page, pages }) => {
  const account = ACCOUNTS.lockout;
  const invalid = messagesFor('en').signin.invalid_credentials;
  const locked = translatorFor('en')('signin.locked', { minutes: 1 });
  const callbacks: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/demo/callback')) callbacks.push(request.url());
  });

  await page.goto('/demo/login');
  const signIn = pages.signIn('en');
  await signIn.expectShown();

  for (let attempt = 1; attempt < MAX_FAILURES; attempt += 1) {
    await test.step(`failed attempt ${attempt}`, async () => {
      await signIn.signIn(account.email, `wrong-password-${attempt}`);
      await signIn.expectError(invalid, account.email);
    });
  }

  await test.step(`failed attempt ${MAX_FAILURES} locks the account`, async () => {
    await signIn.signIn(account.email, `wrong-password-${MAX_FAILURES}`);
    await signIn.expectError(locked, account.email);
  });

  await test.step('the right password is refused while locked', async () => {
    await signIn.signIn(account.email, account.password);
    await signIn.expectError(locked, account.email);
  });

  expect(callbacks, 'no authorization response reached the app').toEqual([]);
});
