import type { Page } from '@playwright/test';

/**
 * Runs an action that submits a form and waits until the resulting document is committed.
 * Needed because a refused sign-in lands on the same URL again: without waiting, the next
 * assertion could pass on the old document.
 */
export async function submitAndWait(page: Page, action: () => Promise<void>): Promise<void> {
  const committed = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await action();
  await committed;
  await page.waitForLoadState('domcontentloaded');
}
