import type { ConnectionOptions } from 'node:tls';
import { createTransport } from 'nodemailer';
import type { MailMessage } from './mail-message';

export type Mailbox = { name: string; address: string };

/** The From mailbox: no-reply at the public host (a mail relay may rewrite it). */
export function fromAddress(publicUrl: URL): Mailbox {
  return { name: 'Meridian ID', address: `no-reply@${publicUrl.hostname}` };
}

export type SmtpSender = {
  send(message: MailMessage, signal: AbortSignal): Promise<void>;
  /** Closes the kept connections. */
  close(): void;
};

/**
 * Mail over SMTP_URL with nodemailer's pooled transport (a few kept connections): nodemailer
 * reads the URL itself, so `smtp://user:pass@host:587` upgrades with STARTTLS when the server
 * offers it, `?requireTLS=true` refuses one that does not, and `smtps://` is TLS from the start.
 * Its other options may be given in the query too (`?maxConnections=2`); they win over these.
 */
export function createSmtpSender(smtpUrl: string, from: Mailbox, options: { sendTimeoutMs: number; tls?: ConnectionOptions }): SmtpSender {
  const transport = createTransport({
    url: smtpUrl,
    pool: true,
    // Four kept connections cover a burst of codes; RFC 5321 servers cap messages per connection.
    maxConnections: 4,
    maxMessages: 100,
    // EHLO with our public host, not the machine's name.
    name: from.address.slice(from.address.lastIndexOf('@') + 1),
    // Every wait is bounded below the worker's abandon time, so a stuck relay frees its connection.
    connectionTimeout: options.sendTimeoutMs,
    greetingTimeout: options.sendTimeoutMs,
    socketTimeout: options.sendTimeoutMs,
    // The outbox retries with back-off; one re-queue covers a kept connection the server closed.
    maxRequeues: 1,
    // Our messages carry no attachments: never read files or URLs on a message's behalf.
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(options.tls ? { tls: options.tls } : {}),
  });
  return {
    async send(message, signal) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, html: message.html, signal });
    },
    close: () => transport.close(),
  };
}
