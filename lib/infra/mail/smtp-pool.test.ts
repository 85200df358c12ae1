import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpPool, type SmtpPool } from './smtp-pool';

// The pool against a real SMTP server process part (smtp-server): what arrives, over how many
// connections, with AUTH, and after the server drops a kept connection.

type Received = { from: string; to: string[]; data: string };

async function startServer(extra: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let open = 0;
  let maxOpen = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      open += 1;
      maxOpen = Math.max(maxOpen, open);
      callback();
    },
    onClose() {
      open -= 1;
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
    ...extra,
  });
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    stats: () => ({ connections, maxOpen }),
    /** Drops every connection from the server's side, as an idle timeout would. */
    dropConnections: () => {
      for (const s of sockets) s.destroy();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const message = (n: number) => Buffer.from(`Subject: message ${n}\r\n\r\nbody ${n}\r\n.leading dot\r\n`);

let pool: SmtpPool | undefined;
let stopServer: (() => Promise<void>) | undefined;

afterEach(async () => {
  pool?.close();
  await stopServer?.();
  pool = undefined;
  stopServer = undefined;
});

describe('createSmtpPool', () => {
  it('sends one message after another over one kept connection, each with its envelope and body intact', async () => {
    const server = await startServer();
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://127.0.0.1:${server.port}`);
    for (let n = 1; n <= 5; n += 1) await pool.send({ from: 'no-reply@id.example.com', to: [`user${n}@example.com`] }, message(n));
    expect(server.received.map((m) => m.to)).toEqual([1, 2, 3, 4, 5].map((n) => [`user${n}@example.com`]));
    expect(server.received[0]?.from).toBe('no-reply@id.example.com');
    expect(server.received[2]?.data).toContain('body 3\r\n.leading dot');
    expect(server.stats().connections).toBe(1);
  });

  it('opens at most maxConnections at once under concurrent sends', async () => {
    const server = await startServer();
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://127.0.0.1:${server.port}`, { maxConnections: 2 });
    await Promise.all(Array.from({ length: 12 }, (_, n) => pool!.send({ from: 'no-reply@id.example.com', to: [`c${n}@example.com`] }, message(n))));
    expect(server.received).toHaveLength(12);
    expect(server.stats().maxOpen).toBeLessThanOrEqual(2);
  });

  it('logs in with the credentials of the URL, and fails with wrong ones', async () => {
    const server = await startServer({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 'p@ss word') callback(null, { user: 'mailer' });
        else callback(new Error('Invalid username or password'));
      },
    });
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://mailer:${encodeURIComponent('p@ss word')}@127.0.0.1:${server.port}`);
    await pool.send({ from: 'no-reply@id.example.com', to: ['a@example.com'] }, message(1));
    expect(server.received).toHaveLength(1);
    const wrong = createSmtpPool(`smtp://mailer:nope@127.0.0.1:${server.port}`);
    await expect(wrong.send({ from: 'no-reply@id.example.com', to: ['b@example.com'] }, message(2))).rejects.toThrow(/Invalid username or password/);
    wrong.close();
    expect(server.received).toHaveLength(1);
  });

  it('sends on a fresh connection when the server dropped the kept one', async () => {
    const server = await startServer();
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://127.0.0.1:${server.port}`);
    await pool.send({ from: 'no-reply@id.example.com', to: ['first@example.com'] }, message(1));
    server.dropConnections();
    // At once: the pool has not heard of the drop yet and tries the kept connection first.
    await pool.send({ from: 'no-reply@id.example.com', to: ['second@example.com'] }, message(2));
    server.dropConnections();
    await new Promise((r) => setTimeout(r, 50));
    await pool.send({ from: 'no-reply@id.example.com', to: ['third@example.com'] }, message(3));
    expect(server.received.map((m) => m.to[0])).toEqual(['first@example.com', 'second@example.com', 'third@example.com']);
    expect(server.stats().connections).toBe(3);
  });

  it('reports a refused recipient as an error, and keeps sending the next messages', async () => {
    const server = await startServer({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody')) callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
        else callback();
      },
    });
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://127.0.0.1:${server.port}`);
    await expect(pool.send({ from: 'no-reply@id.example.com', to: ['nobody@example.com'] }, message(1))).rejects.toMatchObject({ responseCode: 550 });
    await pool.send({ from: 'no-reply@id.example.com', to: ['somebody@example.com'] }, message(2));
    expect(server.received.map((m) => m.to[0])).toEqual(['somebody@example.com']);
  });
});
