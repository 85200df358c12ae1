// Test support: a real SMTP server (smtp-server) that HOLDS every message at the end of DATA: it
// has read the whole message but does not answer until the test releases it. A message counts
// as delivered only when the server answered 250 on a connection still open: one whose client
// went away meanwhile (killed, or gave up) was never accepted, as with a real relay.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { codeInMail } from './mail-catcher';

export type HeldMail = { to: string[]; subject: string; text: string };

export type HoldingSmtpServer = {
  /** smtp://127.0.0.1:<port>: the server under test's SMTP_URL. */
  smtpUrl: string;
  /** Messages read to the end and waiting for the answer to DATA, on connections still open. */
  held(): HeldMail[];
  /** Messages answered 250, in order. */
  delivered(): HeldMail[];
  /** Answers every held message with 250; with `hold: false`, later ones are answered at once. */
  release(options?: { hold: boolean }): void;
  /** Resolves when a message to `to` is held (or, once released, delivered). */
  waitForHeld(to: string, timeoutMs?: number): Promise<HeldMail>;
  waitForDelivered(to: string, timeoutMs?: number): Promise<HeldMail>;
  /** The 6-digit code of the delivered mail to `to`. */
  codeDeliveredTo(to: string): string | undefined;
  stop(): Promise<void>;
};

type Waiting = { mail: HeldMail; sessionId: string; answer: () => void };

export async function startHoldingSmtpServer(): Promise<HoldingSmtpServer> {
  let holding = true;
  const waiting: Waiting[] = [];
  const delivered: HeldMail[] = [];
  const closed = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onClose(session) {
      closed.add(session.id);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: HeldMail = { to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), subject: parsed.subject ?? '', text: parsed.text ?? '' };
          const answer = () => {
            if (closed.has(session.id)) return;
            delivered.push(mail);
            callback();
          };
          if (holding) waiting.push({ mail, sessionId: session.id, answer });
          else answer();
        })
        .catch((e: Error) => callback(e));
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;

  const poll = async (find: () => HeldMail | undefined, what: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const held = () => waiting.filter((w) => !closed.has(w.sessionId)).map((w) => w.mail);

  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    held,
    delivered: () => [...delivered],
    release(options = { hold: false }) {
      holding = options.hold;
      for (const w of waiting.splice(0)) w.answer();
    },
    waitForHeld: (to, timeoutMs = 15_000) => poll(() => [...held(), ...delivered].find((m) => m.to.includes(to.toLowerCase())), `held mail to ${to}`, timeoutMs),
    waitForDelivered: (to, timeoutMs = 15_000) => poll(() => delivered.find((m) => m.to.includes(to.toLowerCase())), `delivered mail to ${to}`, timeoutMs),
    codeDeliveredTo: (to) => {
      const mail = delivered.find((m) => m.to.includes(to.toLowerCase()));
      return mail ? codeInMail(mail) : undefined;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
