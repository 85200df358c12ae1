import { type Locator, type Page, expect } from '@playwright/test';
import { test } from './fixtures';
import { ACCOUNTS } from './support/accounts';
import { messagesFor } from './support/messages';
import { submitAndWait } from './support/navigation';

/**
 * The whole journey with the keyboard alone: Tab to each control, type, Enter. No clicks,
 * no fill(): only key presses reach the page after the first navigation.
 */

const MAX_TABS = 30;

async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement);
}

/** Presses Tab until `target` has focus; fails if it is not reachable in MAX_TABS presses. */
async function tabTo(page: Page, target: Locator): Promise<number> {
  for (let presses = 0; presses <= MAX_TABS; presses += 1) {
    if (await isFocused(target)) return presses;
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reachable with Tab in ${MAX_TABS} presses: ${target.toString()}`);
}

test('signs in and out of the demo app with the keyboard only', async ({ page, pages }) => {
  const account = ACCOUNTS.keyboard;
  const m = messagesFor('en');
  const demo = pages.demo('en');
  const signIn = pages.signIn('en');

  await demo.goto();
  await demo.expectSignedOut();

  await test.step('the first Tab reaches the skip link', async () => {
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: m.meta.skipToContent, exact: true })).toBeFocused();
  });

  await test.step('Tab to "Sign in with Meridian ID" and press Enter', async () => {
    await tabTo(page, demo.signInLink);
    await submitAndWait(page, () => page.keyboard.press('Enter'));
    await signIn.expectShown();
  });

  await test.step('Tab to the fields, type, press Enter', async () => {
    await tabTo(page, signIn.email);
    await page.keyboard.type(account.email);
    await page.keyboard.press('Tab');
    await expect(signIn.password, 'Tab moves from Email straight to Password').toBeFocused();
    await page.keyboard.type(account.password);
    await submitAndWait(page, () => page.keyboard.press('Enter'));
    await demo.expectSignedIn(account);
  });

  await test.step('sign out with the keyboard', async () => {
    await tabTo(page, demo.signOutButton);
    // A first-party app's logout with its id_token_hint needs no confirmation page.
    await submitAndWait(page, () => page.keyboard.press('Enter'));
    await demo.expectSignedOut();
  });
});
