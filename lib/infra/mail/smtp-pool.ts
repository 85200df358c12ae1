import type { ConnectionOptions } from 'node:tls';
import { parseSmtpUrl, SmtpConnection } from './smtp-connection';

/**
 * Submits prebuilt messages (mime-message.ts) over a few kept-open SMTP connections
 * (smtp-connection.ts: TLS, STARTTLS, AUTH, PIPELINING). A connection that fails, or whose
 * message failed, is dropped; a message that failed on a kept connection the server had closed
 * meanwhile is tried once more on a fresh one.
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
  /** TLS options over those of the URL (tests: the CA of their server's certificate). */
  tls?: ConnectionOptions;
};

export type SmtpPool = {
  send(envelope: SmtpEnvelope, message: Buffer): Promise<void>;
  /** Closes every idle connection (those in use close when their message is done). */
  close(): void;
};

type Pooled = { connection: SmtpConnection; messages: number; alive: boolean; idleTimer?: NodeJS.Timeout };

/** Failures of the connection rather than of the message: a dropped or reset socket, a 421. */
function isConnectionFailure(e: unknown): boolean {
  const error = e as { code?: string; responseCode?: number };
  return error.responseCode === 421 || ['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EPROTOCOL'].includes(error.code ?? '');
}

export function createSmtpPool(smtpUrl: string, options: SmtpPoolOptions = {}): SmtpPool {
  const parsed = parseSmtpUrl(smtpUrl);
  const target = { ...parsed, tls: { ...parsed.tls, ...options.tls } };
  const clientName = options.clientName ?? 'localhost';
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
    let connection: SmtpConnection;
    try {
      connection = await SmtpConnection.open(target, { clientName });
    } catch (e) {
      open -= 1;
      waiting.shift()?.();
      throw e;
    }
    const pooled: Pooled = { connection, messages: 0, alive: true };
    connection.onClose(() => retire(pooled));
    return pooled;
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
          await pooled.connection.send(envelope, message);
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
