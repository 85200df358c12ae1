import { createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * An SMTP receiver with PIPELINING and CHUNKING (RFC 3030 BDAT), for the client's BDAT path:
 * smtp-server, which the other mail tests run, offers no CHUNKING. It reads each chunk's bytes
 * exactly (so a chunk that holds "\r\n.\r\n" or a command-like line is data), answers BDAT after
 * its bytes, refuses the recipients it is told to (550) and a chunk without a valid recipient
 * (554), and records per message its envelope, its bytes and how many replies writes the
 * transaction took: each is a round trip the client waited for.
 */
export type ChunkedMessage = { from: string; to: string[]; data: Buffer; roundTrips: number };

export async function startChunkingSmtpServer({ refuse = [] }: { refuse?: string[] } = {}) {
  const received: ChunkedMessage[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write('220 chunking-test ESMTP\r\n');
    let input = Buffer.alloc(0);
    let from: string | null = null;
    let to: string[] = [];
    let chunks: Buffer[] = [];
    let chunkLeft = 0;
    let lastChunk = false;
    let roundTrips = 0;
    const reset = () => {
      from = null;
      to = [];
      chunks = [];
      roundTrips = 0;
    };

    /** The reply to a BDAT once its bytes are in. */
    const chunkDone = (): string => {
      let reply: string;
      if (from === null) reply = '503 5.5.1 MAIL first';
      else if (to.length === 0) reply = '554 5.5.1 No valid recipients';
      else if (!lastChunk) return '250 2.0.0 Chunk accepted';
      else {
        received.push({ from, to, data: Buffer.concat(chunks), roundTrips: roundTrips + 1 });
        reply = '250 2.0.0 Message accepted';
      }
      reset();
      return reply;
    };

    socket.on('data', (data: Buffer) => {
      input = Buffer.concat([input, data]);
      const replies: string[] = [];
      let quit = false;
      for (;;) {
        if (chunkLeft > 0) {
          const part = input.subarray(0, chunkLeft);
          chunks.push(Buffer.from(part));
          chunkLeft -= part.length;
          input = input.subarray(part.length);
          if (chunkLeft > 0) break;
          replies.push(chunkDone());
          continue;
        }
        const eol = input.indexOf('\r\n');
        if (eol < 0) break;
        const line = input.subarray(0, eol).toString('utf8');
        input = input.subarray(eol + 2);
        const verb = line.split(' ')[0]!.toUpperCase();
        const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
        if (verb === 'EHLO') replies.push('250-chunking-test\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-8BITMIME\r\n250 SMTPUTF8');
        else if (verb === 'MAIL') {
          reset();
          from = address;
          replies.push('250 2.1.0 OK');
        } else if (verb === 'RCPT') {
          if (from === null) replies.push('503 5.5.1 MAIL first');
          else if (refuse.includes(address)) replies.push('550 5.1.1 No such user');
          else {
            to.push(address);
            replies.push('250 2.1.5 OK');
          }
        } else if (verb === 'BDAT') {
          const [, size, last] = /^BDAT (\d+)( LAST)?$/i.exec(line) ?? [];
          if (size === undefined) replies.push('501 5.5.4 Syntax: BDAT <size> [LAST]');
          else {
            chunkLeft = Number(size);
            lastChunk = last !== undefined;
            if (chunkLeft === 0) replies.push(chunkDone());
          }
        } else if (verb === 'RSET') {
          reset();
          replies.push('250 2.0.0 OK');
        } else if (verb === 'QUIT') {
          replies.push('221 2.0.0 Bye');
          quit = true;
          break;
        } else replies.push(verb === 'NOOP' ? '250 2.0.0 OK' : '502 5.5.2 Not implemented');
      }
      if (replies.length === 0) return;
      if (from !== null) roundTrips += 1;
      const text = `${replies.join('\r\n')}\r\n`;
      if (quit) socket.end(text);
      else socket.write(text);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
