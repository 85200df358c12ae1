import { readFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { startChunkingSmtpServer } from '../../../tests/support/chunking-smtp-server';
import { createSmtpPool, type SmtpPool } from './smtp-pool';

// The pool against a real SMTP server process part (smtp-server): what arrives, over how many
// connections, with TLS (implicit and STARTTLS), AUTH, and after the server drops a kept connection.

type Received = { from: string; to: string[]; data: string; secure: boolean };

const tlsDir = path.join(__dirname, '../../../tests/support/tls');
const cert = readFileSync(path.join(tlsDir, 'localhost-cert.pem'));
const key = readFileSync(path.join(tlsDir, 'localhost-key.pem'));
/** What a server presenting the test certificate needs; the client trusts it with `tls: { ca: cert }`. */
const tlsServer = { key, cert, disabledCommands: [] };

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
          secure: session.secure,
        });
        callback();
      });
    },
    ...extra,
  });
  // A client refusing the certificate hangs up mid-handshake: the server reports it as an error.
  server.on('error', () => {});
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

  it('sends each message as one BDAT chunk behind its envelope when the server offers CHUNKING: one round trip, the bytes as they are', async () => {
    const server = await startChunkingSmtpServer();
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://127.0.0.1:${server.port}`);
    // Neither dot-stuffed nor cut at a line of its own holding ".": a chunk is counted bytes.
    const body = Buffer.from('Subject: chunked\r\n\r\n.leading dot\r\n.\r\nRCPT TO:<not-a-command@example.com>\r\nno final line break');
    await pool.send({ from: 'no-reply@id.example.com', to: ['user1@example.com'] }, body);
    await pool.send({ from: 'no-reply@id.example.com', to: ['用户@例子.example'] }, message(2));
    expect(server.received.map((m) => ({ from: m.from, to: m.to, roundTrips: m.roundTrips }))).toEqual([
      { from: 'no-reply@id.example.com', to: ['user1@example.com'], roundTrips: 1 },
      { from: 'no-reply@id.example.com', to: ['用户@例子.example'], roundTrips: 1 },
    ]);
    // As DATA would deliver it: the message ends with a line break.
    expect(server.received[0]?.data.toString('latin1')).toBe(`${body.toString('latin1')}\r\n`);
    expect(server.received[1]?.data.equals(message(2))).toBe(true);
  });

  it('over CHUNKING, reports a refused recipient as an error, delivers nothing for it, and keeps sending', async () => {
    const server = await startChunkingSmtpServer({ refuse: ['nobody@example.com'] });
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://127.0.0.1:${server.port}`);
    await expect(pool.send({ from: 'no-reply@id.example.com', to: ['nobody@example.com'] }, message(1))).rejects.toMatchObject({ responseCode: 550, code: 'EENVELOPE' });
    await pool.send({ from: 'no-reply@id.example.com', to: ['somebody@example.com'] }, message(2));
    expect(server.received.map((m) => m.to)).toEqual([['somebody@example.com']]);
  });

  it('sends a message for several recipients with DATA even when CHUNKING is offered, so a refused one cannot let it through to the others', async () => {
    const server = await startChunkingSmtpServer({ refuse: ['nobody@example.com'] });
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://127.0.0.1:${server.port}`);
    // The test server answers DATA with 502: the client went the DATA way and delivered nothing.
    await expect(pool.send({ from: 'no-reply@id.example.com', to: ['somebody@example.com', 'nobody@example.com'] }, message(1))).rejects.toMatchObject({ code: 'EENVELOPE' });
    expect(server.received).toEqual([]);
  });

  it('sends over implicit TLS (smtps://) to a server whose certificate it trusts', async () => {
    const server = await startServer({ ...tlsServer, secure: true });
    stopServer = server.stop;
    pool = createSmtpPool(`smtps://localhost:${server.port}`, { tls: { ca: cert } });
    await pool.send({ from: 'no-reply@id.example.com', to: ['tls@example.com'] }, message(1));
    await pool.send({ from: 'no-reply@id.example.com', to: ['tls2@example.com'] }, message(2));
    expect(server.received.map((m) => [m.to[0], m.secure])).toEqual([
      ['tls@example.com', true],
      ['tls2@example.com', true],
    ]);
    expect(server.stats().connections).toBe(1);
  });

  it('upgrades smtp:// with STARTTLS when the server offers it, before logging in', async () => {
    let securedAtAuth: boolean | undefined;
    const server = await startServer({
      ...tlsServer,
      authOptional: false,
      onAuth(auth, session, callback) {
        securedAtAuth = session.secure;
        callback(null, { user: auth.username });
      },
    });
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://mailer:secret@localhost:${server.port}`, { tls: { ca: cert } });
    await pool.send({ from: 'no-reply@id.example.com', to: ['starttls@example.com'] }, message(1));
    expect(securedAtAuth).toBe(true);
    expect(server.received.map((m) => [m.to[0], m.secure])).toEqual([['starttls@example.com', true]]);
  });

  it('refuses a server whose certificate it does not trust, and sends nothing', async () => {
    const implicit = await startServer({ ...tlsServer, secure: true });
    const upgraded = await startServer(tlsServer);
    stopServer = async () => {
      await implicit.stop();
      await upgraded.stop();
    };
    const viaSmtps = createSmtpPool(`smtps://localhost:${implicit.port}`);
    await expect(viaSmtps.send({ from: 'no-reply@id.example.com', to: ['a@example.com'] }, message(1))).rejects.toThrow(/self-signed certificate/);
    viaSmtps.close();
    pool = createSmtpPool(`smtp://localhost:${upgraded.port}`);
    await expect(pool.send({ from: 'no-reply@id.example.com', to: ['b@example.com'] }, message(2))).rejects.toThrow(/self-signed certificate/);
    expect([...implicit.received, ...upgraded.received]).toEqual([]);
  });

  it('with requireTLS, refuses a server that does not offer STARTTLS before sending its credentials', async () => {
    let authAttempts = 0;
    const server = await startServer({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        authAttempts += 1;
        callback(null, { user: auth.username });
      },
    });
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://mailer:secret@127.0.0.1:${server.port}?requireTLS=true`);
    await expect(pool.send({ from: 'no-reply@id.example.com', to: ['a@example.com'] }, message(1))).rejects.toThrow(/STARTTLS/);
    expect(authAttempts).toBe(0);
    expect(server.received).toEqual([]);
  });

  it('logs in with AUTH LOGIN when the server offers no PLAIN', async () => {
    const server = await startServer({
      authOptional: false,
      allowInsecureAuth: true,
      authMethods: ['LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.method === 'LOGIN' && auth.username === 'mailer' && auth.password === 'pässword') callback(null, { user: 'mailer' });
        else callback(new Error('Invalid username or password'));
      },
    });
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://mailer:${encodeURIComponent('pässword')}@127.0.0.1:${server.port}`);
    await pool.send({ from: 'no-reply@id.example.com', to: ['login@example.com'] }, message(1));
    expect(server.received.map((m) => m.to[0])).toEqual(['login@example.com']);
  });

  it('sends one command at a time to a server without PIPELINING, and to an internationalized address with SMTPUTF8', async () => {
    const server = await startServer({ hidePIPELINING: true } as Partial<SMTPServerOptions>);
    stopServer = server.stop;
    pool = createSmtpPool(`smtp://127.0.0.1:${server.port}`);
    await pool.send({ from: 'no-reply@id.example.com', to: ['one@example.com', '二@例え.jp'] }, message(1));
    await pool.send({ from: 'no-reply@id.example.com', to: ['three@example.com'] }, message(3));
    expect(server.received.map((m) => m.to)).toEqual([['one@example.com', '二@例え.jp'], ['three@example.com']]);
    expect(server.received[0]?.data).toBe('Subject: message 1\r\n\r\nbody 1\r\n.leading dot\r\n');
  });
});
