import { expect } from '@playwright/test';
import { type CaughtMail, type MailReader, mailCatcherClient } from '../../tests/support/mail-catcher';

/** The mail catcher's HTTP view (tests/support/mail-catcher.ts), started by the global setup. */
export const MAIL_API_ENV = 'MERIDIAN_E2E_MAIL_API';

function reader(): MailReader {
  const url = process.env[MAIL_API_ENV];
  if (!url) throw new Error(`${MAIL_API_ENV} is not set: run the journeys with \`npx playwright test\` (the global setup starts the mail catcher)`);
  return mailCatcherClient(url);
}

/** Messages received so far for `address`, oldest first. */
export async function mailFor(address: string): Promise<CaughtMail[]> {
  return reader().messages({ to: address });
}

/**
 * Waits until `address` has received more than `alreadySeen` messages and returns the next one.
 * Journeys use one fresh address each, so a count is enough to tell old mail from new.
 */
export async function waitForMail(address: string, alreadySeen = 0, timeoutMs = 15_000): Promise<CaughtMail> {
  let found: CaughtMail | undefined;
  await expect
    .poll(
      async () => {
        found = (await mailFor(address))[alreadySeen];
        return Boolean(found);
      },
      { message: `mail #${alreadySeen + 1} for ${address}`, timeout: timeoutMs, intervals: [100, 200, 500] },
    )
    .toBe(true);
  return found!;
}

/** The 6-digit code of a sign-up code mail (the HTML marks it with data-code; the text has it on its own line). */
export function codeFrom(mail: CaughtMail): string {
  const code = /data-code="(\d{6})"/.exec(mail.html)?.[1] ?? /^\s*(\d{6})\s*$/m.exec(mail.text)?.[1];
  if (!code) throw new Error(`no 6-digit code in mail "${mail.subject}":\n${mail.text}`);
  return code;
}

/** A fresh address for one journey run (the server under test keeps its database between tests). */
export function uniqueEmail(label: string): string {
  return `${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.e2e@example.com`;
}
