import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { parseConnectionUrl } from 'nodemailer/lib/shared';

/**
 * Submits prebuilt messages (mime-message.ts) over a few kept-open SMTP connections. Each
 * connection is nodemailer's SMTPConnection (TLS, STARTTLS, AUTH, PIPELINING); the pool is ours
 * because nodemailer's own runs every message through its Mailer (plugins, composer, envelope
 * parsing, Message-ID) even when handed raw bytes: ~0.4 ms of CPU per mail, four times the SMTP
 * exchange itself. A connection that fails is dropped; a message that failed on a kept
 * connection the server had closed meanwhile is tried once more on a fresh one.
 */

export type SmtpEnvelope = { from: string; to: string[] };

export type SmtpPoolOptions = {
  maxConnections?: number;
  /** Messages per connection before it is closed and replaced (servers limit them). */
  maxMessagesPerConnection?: number;
  /** An idle connection is closed after this long. */
  idleTimeoutMs?: number;
  /** The name given in EHLO (our public host). */
  clientName?: string;
};

export type SmtpPool = {
  send(envelope: SmtpEnvelope, message: Buffer): Promise<void>;
  /** Closes every idle connection (those in use close when their message is done). */
  close(): void;
};

type Pooled = { connection: SMTPConnection; messages: number; alive: boolean; idleTimer?: NodeJS.Timeout };

/** Failures of the connection rather than of the message: a dropped or reset socket, a 421. */
function isConnectionFailure(e: unknown): boolean {
  const error = e as { code?: string; responseCode?: number };
  return error.responseCode === 421 || ['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EPROTOCOL'].includes(error.code ?? '');
}

export function createSmtpPool(smtpUrl: string, options: SmtpPoolOptions = {}): SmtpPool {
  const { auth, ...connectionOptions } = parseConnectionUrl(smtpUrl);
  const maxConnections = options.maxConnections ?? 4;
  const maxMessages = options.maxMessagesPerConnection ?? 100;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const idle: Pooled[] = [];
  const waiting: (() => void)[] = [];
  let open = 0;
  let closed = false;

  function retire(pooled: Pooled, quit = false): void {
    if (!pooled.alive) return;
    pooled.alive = false;
    open -= 1;
    clearTimeout(pooled.idleTimer);
    const at = idle.indexOf(pooled);
    if (at >= 0) idle.splice(at, 1);
    if (quit) pooled.connection.quit();
    else pooled.connection.close();
    waiting.shift()?.();
  }

  async function connect(): Promise<Pooled> {
    open += 1;
    const connection = new SMTPConnection({ connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000, ...connectionOptions, name: options.clientName });
    const pooled: Pooled = { connection, messages: 0, alive: true };
    // Without an 'error' listener a connection dropped while idle would crash the process.
    connection.on('error', () => retire(pooled));
    connection.on('end', () => retire(pooled));
    try {
      await new Promise<void>((resolve, reject) => connection.connect((e) => (e ? reject(e) : resolve())));
      if (auth) await new Promise<void>((resolve, reject) => connection.login(auth, (e) => (e ? reject(e) : resolve())));
      return pooled;
    } catch (e) {
      retire(pooled);
      throw e;
    }
  }

  async function acquire(): Promise<{ pooled: Pooled; reused: boolean }> {
    for (;;) {
      const pooled = idle.pop();
      if (pooled) {
        clearTimeout(pooled.idleTimer);
        return { pooled, reused: true };
      }
      if (open < maxConnections) return { pooled: await connect(), reused: false };
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  }

  function release(pooled: Pooled): void {
    if (!pooled.alive) return;
    if (closed || pooled.messages >= maxMessages) {
      retire(pooled, true);
      return;
    }
    pooled.idleTimer = setTimeout(() => retire(pooled, true), idleTimeoutMs);
    pooled.idleTimer.unref();
    idle.push(pooled);
    waiting.shift()?.();
  }

  return {
    async send(envelope, message) {
      if (closed) throw new Error('the SMTP pool is closed');
      for (let attempt = 0; ; attempt += 1) {
        const { pooled, reused } = await acquire();
        try {
          await new Promise<void>((resolve, reject) => pooled.connection.send(envelope, message, (e) => (e ? reject(e) : resolve())));
          pooled.messages += 1;
          release(pooled);
          return;
        } catch (e) {
          retire(pooled);
          if (reused && attempt === 0 && isConnectionFailure(e)) continue;
          throw e;
        }
      }
    },
    close() {
      closed = true;
      for (const pooled of [...idle]) retire(pooled, true);
    },
  };
}
