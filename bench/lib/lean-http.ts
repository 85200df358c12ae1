import { connect, type Socket } from 'node:net';

/**
 * A kept-alive HTTP/1.1 connection for load generators that share the machine with the server:
 * one request at a time, written in one piece, the answer read by its Content-Length (the
 * servers we measure always send one; anything else is an error, not a guess). node:http's
 * client cost the sign-up benchmark several times more CPU per request. Reconnects when the
 * server closes the connection between requests.
 */
export type LeanResponse = { status: number; text: string };

const HEADER_END = Buffer.from('\r\n\r\n');

export class LeanHttpConnection {
  private socket: Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: LeanResponse) => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** Extra request header lines, e.g. `Accept-Language: en`. */
    private readonly headers: string[] = [],
  ) {}

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.tryComplete();
    });
    const fail = (e: Error) => {
      if (this.socket === socket) this.socket = undefined;
      const waiting = this.waiting;
      this.waiting = undefined;
      this.buffer = Buffer.alloc(0);
      waiting?.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the server closed the connection')));
    this.socket = socket;
    return socket;
  }

  private tryComplete(): void {
    if (!this.waiting) return;
    const headEnd = this.buffer.indexOf(HEADER_END);
    if (headEnd < 0) return;
    const head = this.buffer.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
    if (length === undefined) {
      this.socket?.destroy(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`));
      return;
    }
    const end = headEnd + 4 + Number(length);
    if (this.buffer.length < end) return;
    const text = this.buffer.toString('utf8', headEnd + 4, end);
    this.buffer = this.buffer.subarray(end);
    const waiting = this.waiting;
    this.waiting = undefined;
    if (/\r\nconnection:\s*close/i.test(head)) {
      const socket = this.socket;
      this.socket = undefined;
      socket?.destroy();
    }
    waiting.resolve({ status, text });
  }

  /** POSTs a JSON body and resolves with the whole answer. */
  post(path: string, json: string): Promise<LeanResponse> {
    if (this.waiting) return Promise.reject(new Error('one request at a time on a connection'));
    const socket = this.socket ?? this.open();
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      const body = Buffer.from(json);
      const head = [`POST ${path} HTTP/1.1`, `Host: ${this.host}:${this.port}`, 'Content-Type: application/json', `Content-Length: ${body.length}`, ...this.headers, '', ''].join('\r\n');
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }
}
