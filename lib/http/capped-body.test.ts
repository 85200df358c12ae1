import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { readNodeBodyCapped, readWebBodyCapped } from './capped-body';

function nodeRequest(chunks: (string | Buffer)[], headers: Record<string, string> = {}): IncomingMessage {
  const stream = new PassThrough();
  const req = Object.assign(stream, { headers }) as unknown as IncomingMessage;
  queueMicrotask(() => {
    for (const c of chunks) stream.write(c);
    stream.end();
  });
  return req;
}

describe('readNodeBodyCapped', () => {
  it('reads a body in chunks as UTF-8, without a byte order mark', async () => {
    const text = '{"name":"美咲"}';
    const bytes = Buffer.from(`\uFEFF${text}`);
    expect(await readNodeBodyCapped(nodeRequest([bytes.subarray(0, 5), bytes.subarray(5)]), 1024)).toBe(text);
  });

  it('reads exactly the cap', async () => {
    expect(await readNodeBodyCapped(nodeRequest(['a'.repeat(10)]), 10)).toBe('a'.repeat(10));
  });

  it('gives null once the body passes the cap, and stops keeping chunks', async () => {
    const req = nodeRequest(['a'.repeat(6), 'b'.repeat(6), 'c'.repeat(100)]);
    expect(await readNodeBodyCapped(req, 10)).toBeNull();
    expect(req.listenerCount('data')).toBe(0);
  });

  it('gives null without reading when Content-Length is over the cap', async () => {
    const req = nodeRequest(['x'], { 'content-length': '11' });
    expect(await readNodeBodyCapped(req, 10)).toBeNull();
    expect(req.listenerCount('data')).toBe(0);
  });

  it('rejects on a stream error', async () => {
    const stream = new PassThrough();
    const req = Object.assign(stream, { headers: {} }) as unknown as IncomingMessage;
    queueMicrotask(() => stream.destroy(new Error('aborted')));
    await expect(readNodeBodyCapped(req, 10)).rejects.toThrow('aborted');
  });
});

describe('readWebBodyCapped', () => {
  const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request('http://localhost/api/flows', { method: 'POST', body, headers });

  it('reads a body as UTF-8', async () => {
    expect(await readWebBodyCapped(post('{"name":"美咲"}'), 1024)).toBe('{"name":"美咲"}');
  });

  it('gives null past the cap, whether declared or streamed', async () => {
    expect(await readWebBodyCapped(post('a'.repeat(11)), 10)).toBeNull();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('a'.repeat(6)));
        controller.enqueue(new TextEncoder().encode('b'.repeat(6)));
        controller.close();
      },
    });
    expect(await readWebBodyCapped(new Request('http://localhost/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit), 10)).toBeNull();
  });

  it('reads an empty body as empty text', async () => {
    expect(await readWebBodyCapped(new Request('http://localhost/', { method: 'POST' }), 10)).toBe('');
  });
});
