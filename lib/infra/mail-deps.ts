import { getEnv } from '../config/env';
import { getDb, sqlOf } from './db/client';
import { createMailOutbox, type MailOutbox } from './mail/mail-outbox';
import { startOutboxWorker, type OutboxWorker } from './mail/outbox-worker';
import { createSmtpSender, fromAddress } from './mail/smtp-sender';

// On globalThis: Next evaluates modules more than once (instrumentation, route handlers, pages),
// and a queued mail must wake the one worker of the process.
const holder = globalThis as typeof globalThis & { __meridianMailOutbox?: MailOutbox; __meridianMailWorker?: OutboxWorker };

/** The process-wide outbox: mail for delivery when SMTP_URL is set, else kept `local` (mail-outbox.ts). */
export function getMailOutbox(): MailOutbox {
  holder.__meridianMailOutbox ??= createMailOutbox(() => sqlOf(getDb()), {
    deliver: Boolean(getEnv().smtpUrl),
    onQueued: () => holder.__meridianMailWorker?.wake(),
  });
  return holder.__meridianMailOutbox;
}

/**
 * Starts sending the outbox over SMTP_URL in this process (the server, at start). Without
 * SMTP_URL nothing is sent: mail stays in the outbox, shown by the demo outbox page.
 */
export function startMailDelivery(): void {
  if (holder.__meridianMailWorker) return;
  const env = getEnv();
  if (!env.smtpUrl) {
    if (env.nodeEnv === 'production') console.warn('[mail] SMTP_URL is not set: mail stays in the outbox table and is not delivered');
    return;
  }
  const sender = createSmtpSender(env.smtpUrl, fromAddress(env.publicUrl), { sendTimeoutMs: env.mailSendTimeoutMs });
  holder.__meridianMailWorker = startOutboxWorker({ outbox: getMailOutbox(), send: sender.send, sendTimeoutMs: env.mailSendTimeoutMs });
}

/**
 * The outbox page shows mail nobody receives: only where mail is not delivered (no SMTP_URL),
 * in demo mode (development, or `npm run demo`); elsewhere it is a 404.
 */
export function isOutboxPageEnabled(): boolean {
  const env = getEnv();
  return !env.smtpUrl && env.demoMode;
}
