import { createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * The sign-up benchmark's mail sink: just enough SMTP (RFC 5321, with PIPELINING and CHUNKING) to accept
 * every message, and hand each recipient's code (the first 6-digit group of the Subject) to
 * whoever waits for it. It shares the machine's two cores with the server under test, so it
 * does no MIME parsing and buffers only a message's head; `smtp-server` cost it several times
 * more CPU per message. Tests use the full smtp-server + mailparser (tests/support/mail-catcher.ts).
 */
export type SmtpSink = {
  smtpUrl: string;
  codeFor(to: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
};

const HEAD_BYTES = 4096;
const END_OF_DATA = '\r\n.\r\n';

export async function startSmtpSink(): Promise<SmtpSink> {
  const waiters = new Map<string, (code: string) => void>();
  const codes = new Map<string, string>();
  const sockets = new Set<Socket>();

  function deliver(to: string, head: string): void {
    const code = /^Subject: (\d{6}) /m.exec(head)?.[1];
    if (!code) return;
    const waiter = waiters.get(to);
    if (waiter) {
      waiters.delete(to);
      waiter(code);
    } else codes.set(to, code);
  }

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    socket.write('220 bench-sink ESMTP\r\n');
    let pending = '';
    let inData = false;
    let head = '';
    let tail = '';
    let rcpt = '';
    // Bytes still to read of a BDAT chunk (RFC 3030), and whether it is the message's last.
    let chunkLeft = 0;
    let lastChunk = false;

    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      const replies: string[] = [];
      while (pending.length > 0) {
        if (chunkLeft > 0) {
          // latin1: one character per byte, so lengths count the chunk's bytes.
          const part = pending.slice(0, chunkLeft);
          if (head.length < HEAD_BYTES) head += part.slice(0, HEAD_BYTES - head.length);
          chunkLeft -= part.length;
          pending = pending.slice(part.length);
          if (chunkLeft > 0) break;
          if (lastChunk) deliver(rcpt, head);
          replies.push('250 OK');
          continue;
        }
        if (inData) {
          // Look for the terminator across chunk edges; keep only the head (Subject) of the message.
          const scan = tail + pending;
          const end = scan.indexOf(END_OF_DATA);
          if (head.length < HEAD_BYTES) head += pending.slice(0, HEAD_BYTES - head.length);
          if (end < 0) {
            tail = scan.slice(-(END_OF_DATA.length - 1));
            pending = '';
            break;
          }
          pending = scan.slice(end + END_OF_DATA.length);
          inData = false;
          tail = '';
          deliver(rcpt, head);
          replies.push('250 OK queued');
          continue;
        }
        const eol = pending.indexOf('\r\n');
        if (eol < 0) break;
        const line = pending.slice(0, eol);
        pending = pending.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') replies.push('250-bench-sink\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-8BITMIME\r\n250 SMTPUTF8');
        else if (verb === 'BDAT') {
          const [, size = '0', last] = /^BDAT (\d+)( LAST)?/i.exec(line) ?? [];
          chunkLeft = Number(size);
          lastChunk = last !== undefined;
          if (chunkLeft === 0) {
            if (lastChunk) deliver(rcpt, head);
            replies.push('250 OK');
          }
        } else if (verb === 'RCPT') {
          rcpt = (/<([^>]*)>/.exec(line)?.[1] ?? '').toLowerCase();
          replies.push('250 Accepted');
        } else if (verb === 'DATA') {
          inData = true;
          head = '';
          tail = '\r\n'; // a message may end with "." on its own first line
          replies.push('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
          replies.push('221 Bye');
          socket.end(`${replies.join('\r\n')}\r\n`);
          return;
        } else {
          if (verb === 'MAIL') head = ''; // a message's chunks add to its head
          replies.push('250 OK'); // HELO, MAIL, RSET, NOOP
        }
      }
      if (replies.length > 0) socket.write(`${replies.join('\r\n')}\r\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    codeFor(to, timeoutMs = 30_000) {
      const key = to.toLowerCase();
      const ready = codes.get(key);
      if (ready) {
        codes.delete(key);
        return Promise.resolve(ready);
      }
      return new Promise((resolveCode, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(key);
          reject(new Error(`no code mailed to ${to}`));
        }, timeoutMs);
        waiters.set(key, (code) => {
          clearTimeout(timer);
          resolveCode(code);
        });
      });
    },
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
