import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpSender, type SmtpSender } from './smtp-sender';

// SMTP_URL's meaning through nodemailer, against a real SMTP server (smtp-server): plain, STARTTLS
// before AUTH, requireTLS, implicit TLS, an untrusted certificate, and the message as received.

const tlsDir = path.join(__dirname, '../../../tests/support/tls');
const cert = readFileSync(path.join(tlsDir, 'localhost-cert.pem'));
const key = readFileSync(path.join(tlsDir, 'localhost-key.pem'));
const from = { name: 'Meridian ID', address: 'no-reply@id.example.com' };
const message = { to: 'mei@example.tw', subject: '驗證碼 482913', text: 'Your code: 482913', html: '<p data-code="482913">482913</p>' };

type Received = { to: string[]; secure: boolean; subject: string; text: string; html: string; from: string; user?: string };

async function startServer(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            secure: session.secure,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            from: parsed.from?.text ?? '',
            user: typeof session.user === 'string' ? session.user : undefined,
          });
          callback();
        })
        .catch((e: Error) => callback(e));
    },
    ...options,
  });
  // A client refusing the certificate hangs up mid-handshake: the server reports it as an error.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function senderFor(url: string, tls?: { ca: Buffer }): Promise<SmtpSender> {
  const sender = createSmtpSender(url, from, { sendTimeoutMs: 5000, ...(tls ? { tls } : {}) });
  cleanup.push(() => sender.close());
  return sender;
}

describe('createSmtpSender (nodemailer, pooled)', () => {
  it('delivers the rendered message: From, envelope, subject in any script, text and HTML parts', async () => {
    const server = await startServer();
    cleanup.push(server.stop);
    const sender = await senderFor(`smtp://127.0.0.1:${server.port}`);
    await sender.send(message, AbortSignal.timeout(5000));
    expect(server.received).toEqual([expect.objectContaining({ to: ['mei@example.tw'], subject: '驗證碼 482913', text: 'Your code: 482913', from: '"Meridian ID" <no-reply@id.example.com>' })]);
    expect(server.received[0]?.html).toContain('data-code="482913"');
  });

  it('upgrades smtp:// with STARTTLS when offered, before it logs in with the URL-encoded credentials', async () => {
    let securedAtAuth: boolean | undefined;
    const server = await startServer({
      key,
      cert,
      disabledCommands: [],
      authOptional: false,
      onAuth(auth, session, callback) {
        securedAtAuth = session.secure;
        if (auth.username === 'mailer' && auth.password === 'pässword') callback(null, { user: 'mailer' });
        else callback(new Error('Invalid username or password'));
      },
    });
    cleanup.push(server.stop);
    const sender = await senderFor(`smtp://mailer:${encodeURIComponent('pässword')}@localhost:${server.port}`, { ca: cert });
    await sender.send(message, AbortSignal.timeout(5000));
    expect(securedAtAuth).toBe(true);
    expect(server.received.map((m) => [m.to[0], m.secure, m.user])).toEqual([['mei@example.tw', true, 'mailer']]);
  });

  it('with ?requireTLS=true refuses a server that offers no STARTTLS, before sending credentials or mail', async () => {
    let authAttempts = 0;
    const server = await startServer({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        authAttempts += 1;
        callback(null, { user: auth.username });
      },
    });
    cleanup.push(server.stop);
    const sender = await senderFor(`smtp://mailer:secret@127.0.0.1:${server.port}?requireTLS=true`);
    await expect(sender.send(message, AbortSignal.timeout(5000))).rejects.toThrow(/STARTTLS/);
    expect(authAttempts).toBe(0);
    expect(server.received).toEqual([]);
  });

  it('speaks TLS from the start for smtps://, and refuses a certificate it does not trust', async () => {
    const server = await startServer({ key, cert, secure: true, disabledCommands: [] });
    cleanup.push(server.stop);
    const untrusting = await senderFor(`smtps://localhost:${server.port}`);
    await expect(untrusting.send(message, AbortSignal.timeout(5000))).rejects.toThrow(/self-signed certificate/);
    expect(server.received).toEqual([]);
    const trusting = await senderFor(`smtps://localhost:${server.port}`, { ca: cert });
    await trusting.send(message, AbortSignal.timeout(5000));
    expect(server.received.map((m) => m.secure)).toEqual([true]);
  });
});
