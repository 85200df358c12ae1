import { getEnv } from '../../config/env';
import { getDb, type Db } from '../db/client';
import { buildMimeMessage, type Mailbox } from './mime-message';
import { createSmtpPool } from './smtp-pool';

/** One rendered message. */
export type MailMessage = { to: string; subject: string; text: string; html: string };

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** The From mailbox: no-reply at the public host (a mail relay may rewrite it). */
export function fromAddress(publicUrl: URL): Mailbox {
  return { name: 'Meridian ID', address: `no-reply@${publicUrl.hostname}` };
}

/**
 * SMTP over SMTP_URL, e.g. smtp://user:pass@mail.example:587 (smtps:// for implicit TLS;
 * STARTTLS when the server offers it): messages built by mime-message.ts, sent over the kept
 * connections of smtp-pool.ts.
 */
export function createSmtpMailer(smtpUrl: string, from: Mailbox): Mailer {
  const host = from.address.slice(from.address.lastIndexOf('@') + 1);
  const pool = createSmtpPool(smtpUrl, { clientName: host });
  return {
    async send(message) {
      const raw = buildMimeMessage({ from, to: message.to, subject: message.subject, text: message.text, html: message.html, host });
      await pool.send({ from: from.address, to: [message.to] }, raw);
    },
  };
}

/** Without SMTP_URL: mail is written to the mail_outbox table, shown at /dev/outbox (development only). */
export function createOutboxMailer(resolveDb: () => Db = getDb): Mailer {
  return {
    async send(message) {
      await resolveDb().mailOutbox.create({ data: { toAddress: message.to, subject: message.subject, text: message.text, html: message.html } });
    },
  };
}

export type OutboxEntry = { id: string; to: string; subject: string; text: string; html: string; createdAt: Date };

/** The newest outbox messages first (the development page). */
export async function listOutbox(limit = 50, resolveDb: () => Db = getDb): Promise<OutboxEntry[]> {
  const rows = await resolveDb().mailOutbox.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
  return rows.map((r) => ({ id: r.id, to: r.toAddress, subject: r.subject, text: r.text, html: r.html, createdAt: r.createdAt }));
}

const holder = globalThis as typeof globalThis & { __meridianMailer?: Mailer };

/** The process-wide mailer: SMTP when SMTP_URL is set, else the development outbox. */
export function getMailer(): Mailer {
  if (!holder.__meridianMailer) {
    const env = getEnv();
    if (env.smtpUrl) holder.__meridianMailer = createSmtpMailer(env.smtpUrl, fromAddress(env.publicUrl));
    else {
      if (env.nodeEnv === 'production') console.warn('[mail] SMTP_URL is not set: mail goes to the outbox table and is not delivered');
      holder.__meridianMailer = createOutboxMailer();
    }
  }
  return holder.__meridianMailer;
}
