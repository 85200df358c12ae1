import net from 'node:net';
import tls from 'node:tls';

/**
 * One SMTP submission connection (RFC 5321, 3207 STARTTLS, 4954 AUTH PLAIN/LOGIN, 2920
 * PIPELINING, 3030 CHUNKING), only what smtp-pool.ts needs: open, send prebuilt messages, quit.
 * Ours instead of nodemailer's SMTPConnection, whose per-message work (an event emitter state
 * machine, a stream pipeline for the dot-stuffing, a logger, the envelope's re-validation) was
 * ~0.3 ms of CPU per mail. With PIPELINING a message here is two socket writes and two round
 * trips: the envelope with DATA, then the body; with CHUNKING too, one of each (BDAT).
 */

export type SmtpTarget = {
  host: string;
  port: number;
  /** Implicit TLS (smtps://). */
  secure: boolean;
  auth?: { user: string; pass: string };
  /** Refuse to go on (and to send credentials) unless STARTTLS upgrades the connection. */
  requireTls: boolean;
  /** Never upgrade with STARTTLS, even when offered. */
  ignoreTls: boolean;
  tls: tls.ConnectionOptions;
};

export type SmtpConnectionOptions = {
  /** The name given in EHLO. */
  clientName: string;
  connectionTimeoutMs?: number;
  /** No reply within this long fails the connection. */
  socketTimeoutMs?: number;
};

/** A failure of the connection (code ECONNECTION, ETIMEDOUT, ETLS, EAUTH…) or a reply (responseCode). */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly responseCode?: number,
    readonly response?: string,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

type Reply = { code: number; text: string };
type Pending = { resolve: (reply: Reply) => void; reject: (error: Error) => void };

/** Parses `smtp://[user:pass@]host[:port][?requireTLS=true&ignoreTLS=true&tls.rejectUnauthorized=false]` and `smtps://…`. */
export function parseSmtpUrl(smtpUrl: string): SmtpTarget {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  const secure = url.protocol === 'smtps:';
  const flag = (name: string) => url.searchParams.get(name) === 'true';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const user = decodeURIComponent(url.username);
  return {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: user ? { user, pass: decodeURIComponent(url.password) } : undefined,
    requireTls: flag('requireTLS'),
    ignoreTls: flag('ignoreTLS'),
    tls: { servername: net.isIP(host) ? undefined : host, rejectUnauthorized: url.searchParams.get('tls.rejectUnauthorized') !== 'false' },
  };
}

const needsUtf8 = (address: string) => /[^\x00-\x7f]/.test(address);

/** The message with lines starting with '.' doubled and a final CRLF, followed by the end-of-data line. */
export function dotStuffed(message: Buffer): Buffer {
  let text = message.toString('latin1');
  if (text.startsWith('.')) text = `.${text}`;
  text = text.replace(/\r\n\./g, '\r\n..');
  if (!text.endsWith('\r\n')) text += '\r\n';
  return Buffer.from(`${text}.\r\n`, 'latin1');
}

const CRLF = Buffer.from('\r\n', 'latin1');

/** The message as it is, ending with a CRLF as DATA delivers it: a BDAT chunk is not dot-stuffed. */
function chunkOf(message: Buffer): Buffer {
  const ends = message.length >= 2 && message[message.length - 2] === 0x0d && message[message.length - 1] === 0x0a;
  return ends ? message : Buffer.concat([message, CRLF]);
}

export class SmtpConnection {
  private socket: net.Socket;
  private buffer = '';
  private lines: string[] = [];
  private readonly pending: Pending[] = [];
  private extensions = new Map<string, string>();
  private failure: SmtpError | undefined;
  private closeListeners: (() => void)[] = [];

  private constructor(socket: net.Socket, private readonly options: SmtpConnectionOptions) {
    this.socket = socket;
    this.attach(socket);
  }

  /** Connects, reads the greeting, says EHLO, upgrades with STARTTLS when offered and logs in. */
  static async open(target: SmtpTarget, options: SmtpConnectionOptions): Promise<SmtpConnection> {
    const socket = await connectSocket(target, options.connectionTimeoutMs ?? 10_000);
    const connection = new SmtpConnection(socket, options);
    try {
      await connection.expect(connection.reply(), 220, 'ECONNECTION');
      await connection.hello();
      if (!target.secure && !target.ignoreTls && connection.extensions.has('STARTTLS')) {
        await connection.expect(connection.command('STARTTLS'), 220, 'ETLS');
        await connection.upgrade(target);
        await connection.hello();
      } else if (!target.secure && target.requireTls) {
        throw new SmtpError('The SMTP server does not offer STARTTLS, and SMTP_URL requires TLS', 'ETLS');
      }
      if (target.auth) await connection.login(target.auth);
      return connection;
    } catch (e) {
      connection.close();
      throw e;
    }
  }

  get alive(): boolean {
    return !this.failure && !this.socket.destroyed;
  }

  /** Called once when the connection is gone (closed by either side, or failed). */
  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /** One message: MAIL, RCPT for each recipient and DATA in one write when the server pipelines. */
  async send(envelope: { from: string; to: string[] }, message: Buffer): Promise<void> {
    if (envelope.to.length === 0) throw new SmtpError('A message needs at least one recipient', 'EENVELOPE');
    const utf8 = [envelope.from, ...envelope.to].some(needsUtf8);
    if (utf8 && !this.extensions.has('SMTPUTF8')) throw new SmtpError('The SMTP server does not accept internationalized addresses (SMTPUTF8)', 'EENVELOPE');
    const mail = `MAIL FROM:<${envelope.from}>${utf8 ? ' SMTPUTF8' : ''}`;
    const recipients = envelope.to.map((to) => `RCPT TO:<${to}>`);
    // One recipient only: with several, a BDAT chunk would still reach those accepted when
    // another is refused, and the caller, told of a failure, would send it again.
    if (recipients.length === 1 && this.extensions.has('CHUNKING') && this.extensions.has('PIPELINING')) return this.sendChunk([mail, ...recipients], chunkOf(message));
    const commands = [mail, ...recipients, 'DATA'];
    let replies: Promise<Reply>[];
    if (this.extensions.has('PIPELINING')) {
      replies = commands.map(() => this.reply());
      this.write(commands.join('\r\n') + '\r\n');
    } else {
      replies = [];
      for (const c of commands) {
        const reply = this.command(c);
        replies.push(reply);
        if ((await reply).code >= 400) break;
      }
    }
    const settled = await Promise.all(replies);
    const refused = settled.find((r, i) => (i === commands.length - 1 ? r.code !== 354 : r.code >= 400));
    if (refused) {
      // The transaction is in an unknown state (a DATA may have been let through): the caller
      // retires the connection instead of resetting it.
      throw replyError(refused, 'EENVELOPE');
    }
    await this.expect(this.reply(), 250, 'EMESSAGE', () => this.write(dotStuffed(message)));
  }

  /**
   * The envelope and the whole message as one `BDAT <size> LAST` chunk in one write (RFC 3030).
   * The server reads the chunk's bytes whatever it answers the envelope, so the connection stays
   * in step either way; a refused recipient leaves no recipient, and the chunk is refused too.
   */
  private async sendChunk(envelope: string[], chunk: Buffer): Promise<void> {
    const replies = [...envelope, 'BDAT'].map(() => this.reply());
    this.write(Buffer.concat([Buffer.from(`${envelope.join('\r\n')}\r\nBDAT ${chunk.length} LAST\r\n`, 'utf8'), chunk]));
    const settled = await Promise.all(replies);
    const refused = settled.slice(0, -1).find((r) => r.code >= 400);
    if (refused) throw replyError(refused, 'EENVELOPE');
    const last = settled[settled.length - 1]!;
    if (last.code !== 250) throw replyError(last, 'EMESSAGE');
  }

  /** QUIT, then the socket closes. */
  quit(): void {
    if (!this.alive) return;
    this.write('QUIT\r\n');
    this.socket.end();
  }

  close(): void {
    this.socket.destroy();
  }

  private attach(socket: net.Socket): void {
    socket.setEncoding('latin1');
    socket.setTimeout(this.options.socketTimeoutMs ?? 60_000);
    socket.on('data', this.onData);
    socket.on('timeout', this.onTimeout);
    socket.on('error', this.onError);
    socket.on('close', this.onSocketClose);
  }

  /** Before STARTTLS: the TLS socket takes over (the 'error' listener stays, so nothing goes unheard). */
  private detach(socket: net.Socket): void {
    socket.off('data', this.onData);
    socket.off('timeout', this.onTimeout);
    socket.off('close', this.onSocketClose);
  }

  private readonly onData = (chunk: string) => {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\n'); end >= 0; end = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, this.buffer[end - 1] === '\r' ? end - 1 : end);
      this.buffer = this.buffer.slice(end + 1);
      this.lines.push(line);
      // "250-…" continues a reply, "250 …" (or a bare "250") ends it.
      if (line[3] === '-') continue;
      const text = this.lines.map((l) => l.slice(4)).join('\n');
      const code = Number(line.slice(0, 3));
      this.lines = [];
      const waiter = this.pending.shift();
      if (!waiter) continue;
      if (Number.isNaN(code)) waiter.reject(this.fail(new SmtpError(`Unexpected SMTP reply: ${line}`, 'EPROTOCOL')));
      else waiter.resolve({ code, text });
    }
  };

  private readonly onTimeout = () => {
    this.fail(new SmtpError('The SMTP server did not answer in time', 'ETIMEDOUT'));
    this.socket.destroy();
  };

  private readonly onError = (e: Error) => {
    this.fail(new SmtpError(`SMTP connection failed: ${e.message}`, 'ECONNECTION'));
  };

  private readonly onSocketClose = () => {
    this.fail(new SmtpError('The SMTP server closed the connection', 'ECONNECTION'));
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const l of listeners) l();
  };

  /** Marks the connection failed (the first reason wins) and rejects every reply awaited. */
  private fail(error: SmtpError): SmtpError {
    this.failure ??= error;
    for (const waiter of this.pending.splice(0)) waiter.reject(this.failure);
    return this.failure;
  }

  private write(data: string | Buffer): void {
    this.socket.write(data);
  }

  private reply(): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  private command(line: string): Promise<Reply> {
    const reply = this.reply();
    this.write(`${line}\r\n`);
    return reply;
  }

  /** Awaits a reply (after `then` writes what it answers) and fails unless its code is `code`. */
  private async expect(reply: Promise<Reply>, code: number, errorCode: string, then?: () => void): Promise<Reply> {
    then?.();
    const r = await reply;
    if (r.code !== code) throw replyError(r, errorCode);
    return r;
  }

  private async hello(): Promise<void> {
    let r = await this.command(`EHLO ${this.options.clientName}`);
    if (r.code >= 500) r = await this.command(`HELO ${this.options.clientName}`);
    if (r.code !== 250) throw replyError(r, 'EPROTOCOL');
    this.extensions = new Map();
    for (const line of r.text.split('\n').slice(1)) {
      const [keyword = '', ...params] = line.trim().split(/\s+/);
      this.extensions.set(keyword.toUpperCase(), params.join(' ').toUpperCase());
    }
  }

  private async upgrade(target: SmtpTarget): Promise<void> {
    const plain = this.socket;
    this.detach(plain);
    const secured = tls.connect({ ...target.tls, socket: plain });
    this.socket = secured;
    this.attach(secured);
    await new Promise<void>((resolve, reject) => {
      secured.once('secureConnect', () => resolve());
      secured.once('close', () => reject(this.failure ?? new SmtpError('STARTTLS failed', 'ETLS')));
    });
  }

  private async login(auth: { user: string; pass: string }): Promise<void> {
    const methods = this.extensions.get('AUTH')?.split(' ') ?? [];
    let r: Reply;
    if (methods.includes('PLAIN') || !methods.includes('LOGIN')) {
      r = await this.command(`AUTH PLAIN ${Buffer.from(`\0${auth.user}\0${auth.pass}`, 'utf8').toString('base64')}`);
    } else {
      r = await this.command('AUTH LOGIN');
      if (r.code === 334) r = await this.command(Buffer.from(auth.user, 'utf8').toString('base64'));
      if (r.code === 334) r = await this.command(Buffer.from(auth.pass, 'utf8').toString('base64'));
    }
    if (r.code !== 235) throw replyError(r, 'EAUTH');
  }
}

function replyError(reply: Reply, code: string): SmtpError {
  // 421: the server is closing the connection, which the pool treats as the connection's failure.
  return new SmtpError(`SMTP server replied ${reply.code} ${reply.text}`, reply.code === 421 ? 'ECONNECTION' : code, reply.code, reply.text);
}

function connectSocket(target: SmtpTarget, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = target.secure
      ? tls.connect({ ...target.tls, host: target.host, port: target.port }, () => done())
      : net.connect({ host: target.host, port: target.port }, () => done());
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SmtpError(`Could not connect to the SMTP server at ${target.host}:${target.port} in time`, 'ETIMEDOUT'));
    }, timeoutMs);
    const onError = (e: Error) => {
      clearTimeout(timer);
      reject(new SmtpError(`Could not connect to the SMTP server at ${target.host}:${target.port}: ${e.message}`, target.secure ? 'ETLS' : 'ECONNECTION'));
    };
    socket.once('error', onError);
    function done() {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    }
  });
}
