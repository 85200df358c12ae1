// Test support: a real SMTP server (smtp-server) that keeps every message it receives, parsed
// with mailparser, plus a small HTTP endpoint so that other processes (Playwright workers,
// vitest workers) can read them. Start it where the server under test is started, and give the
// server SMTP_URL = catcher.smtpUrl.
//
//   const catcher = await startMailCatcher();
//   const server = await startServer({ env: { SMTP_URL: catcher.smtpUrl } });
//   …
//   const mail = await catcher.waitFor({ to: 'mei@example.com' });      // in-process
//   const code = await mailCatcherClient(catcher.httpUrl).codeFor('mei@example.com'); // anywhere
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type CaughtMail = {
  /** Order of arrival, from 1. */
  seq: number;
  from: string;
  /** Envelope recipients, lower-cased. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  receivedAt: string;
};

export type MailQuery = {
  /** An envelope recipient (case-insensitive). */
  to?: string;
  subjectIncludes?: string;
  /** Only messages that arrived after this sequence number (e.g. after a resend). */
  after?: number;
};

export type MailReader = {
  messages(query?: MailQuery): Promise<CaughtMail[]>;
  /** The first matching message, waiting for it to arrive (default 10 s). */
  waitFor(query: MailQuery, timeoutMs?: number): Promise<CaughtMail>;
  /** The 6-digit code of the newest sign-up code mail to `to` (waits for it). */
  codeFor(to: string, options?: { after?: number; timeoutMs?: number }): Promise<string>;
  /** The sequence number of the newest message so far (0 when none): pass it as `after`. */
  lastSeq(): Promise<number>;
};

export type MailCatcher = MailReader & {
  /** smtp://127.0.0.1:<port> (no auth, no TLS): the server under test's SMTP_URL. */
  smtpUrl: string;
  /** http://127.0.0.1:<port>: GET /messages?to=&after=&subject= → CaughtMail[] (for mailCatcherClient). */
  httpUrl: string;
  clear(): void;
  stop(): Promise<void>;
};

/** The 6-digit code in a code mail's text part (the mail's own link carries it too). */
export function codeInMail(mail: Pick<CaughtMail, 'text'>): string | undefined {
  return /(?:^|\s)(\d{6})(?:\s|$)/m.exec(mail.text)?.[1];
}

function matches(mail: CaughtMail, query: MailQuery = {}): boolean {
  if (query.to && !mail.to.includes(query.to.toLowerCase())) return false;
  if (query.subjectIncludes && !mail.subject.includes(query.subjectIncludes)) return false;
  if (query.after !== undefined && mail.seq <= query.after) return false;
  return true;
}

function readerOver(list: (query?: MailQuery) => Promise<CaughtMail[]>): MailReader {
  const waitFor = async (query: MailQuery, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await list(query))[0];
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail matching ${JSON.stringify(query)} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    messages: list,
    waitFor,
    async codeFor(to, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 10_000);
      for (;;) {
        const withCode = (await list({ to, after: options.after })).filter((m) => codeInMail(m)).at(-1);
        if (withCode) return codeInMail(withCode)!;
        if (Date.now() > deadline) throw new Error(`no code mailed to ${to} within ${options.timeoutMs ?? 10_000} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async lastSeq() {
      return (await list()).at(-1)?.seq ?? 0;
    },
  };
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const received: CaughtMail[] = [];
  let seq = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push({
            seq: ++seq,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            receivedAt: new Date().toISOString(),
          });
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(0, '127.0.0.1', () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const list = async (query?: MailQuery) => received.filter((m) => matches(m, query));
  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://catcher.invalid');
    if (url.pathname !== '/messages') {
      res.writeHead(404).end();
      return;
    }
    const after = url.searchParams.get('after');
    const query: MailQuery = {
      ...(url.searchParams.get('to') ? { to: url.searchParams.get('to')! } : {}),
      ...(url.searchParams.get('subject') ? { subjectIncludes: url.searchParams.get('subject')! } : {}),
      ...(after ? { after: Number(after) } : {}),
    };
    void list(query).then((messages) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(messages));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const httpPort = (http.address() as AddressInfo).port;

  return {
    ...readerOver(list),
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    clear() {
      received.length = 0;
    },
    async stop() {
      await Promise.all([new Promise<void>((r) => smtp.close(() => r())), new Promise<void>((r) => http.close(() => r()))]);
    },
  };
}

/** Reads a catcher running in another process through its HTTP endpoint (catcher.httpUrl). */
export function mailCatcherClient(httpUrl: string): MailReader {
  return readerOver(async (query = {}) => {
    const url = new URL('/messages', httpUrl);
    if (query.to) url.searchParams.set('to', query.to);
    if (query.subjectIncludes) url.searchParams.set('subject', query.subjectIncludes);
    if (query.after !== undefined) url.searchParams.set('after', String(query.after));
    const res = await fetch(url);
    if (!res.ok) throw new Error(`mail catcher answered ${res.status}`);
    return (await res.json()) as CaughtMail[];
  });
}
