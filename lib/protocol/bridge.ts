import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type Provider from 'oidc-provider';
import { getEnv } from '../config/env';
import { fitToPublicUrl } from './oidc-request';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export type NodePair = { req: IncomingMessage; res: ServerResponse; done: Promise<Response> };

/** The request body, read as the consumer reads: a reader that stops (the provider's cap) stops the upload. */
function streamBody(req: IncomingMessage, body: ReadableStream<Uint8Array> | null): void {
  if (!body) {
    req.push(null);
    return;
  }
  const reader = body.getReader();
  req._read = () => {
    reader.read().then(
      ({ done, value }) => req.push(done ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
      (e: unknown) => req.destroy(e as Error),
    );
  };
}

/**
 * A Node req/res pair for a Web Request, so that Node request handlers (oidc-provider's, ours in
 * node-handler.ts) can answer it; `done` is their answer as a Web Response. Fitted to the public
 * URL like every request the provider sees (oidc-request.ts).
 */
export function toNodePair(request: Request): NodePair {
  const url = new URL(request.url);
  const req = new IncomingMessage(new Socket());
  req.method = request.method;
  req.url = `${url.pathname}${url.search}`;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    headers[key] = value;
  });
  req.headers = headers;
  fitToPublicUrl(req, getEnv().publicUrl);
  streamBody(req, request.method === 'GET' || request.method === 'HEAD' ? null : request.body);

  const res = new ServerResponse(req);
  const chunks: Buffer[] = [];
  const collect = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  };
  const done = new Promise<Response>((resolve, reject) => {
    res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
      collect(chunk, encoding);
      const callback = typeof encoding === 'function' ? encoding : cb;
      if (typeof callback === 'function') queueMicrotask(callback as () => void);
      return true;
    }) as ServerResponse['write'];
    res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
      collect(chunk, encoding);
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(res.getHeaders())) {
        if (value === undefined) continue;
        if (Array.isArray(value)) value.forEach((v) => responseHeaders.append(name, v));
        else responseHeaders.set(name, String(value));
      }
      const status = res.statusCode;
      const payload = status === 204 || status === 304 || request.method === 'HEAD' ? null : Buffer.concat(chunks);
      Object.defineProperty(res, 'writableEnded', { value: true });
      resolve(new Response(payload, { status, statusText: res.statusMessage, headers: responseHeaders }));
      const callback = typeof chunk === 'function' ? chunk : typeof encoding === 'function' ? encoding : cb;
      if (typeof callback === 'function') queueMicrotask(callback as () => void);
      res.emit('finish');
      return res;
    }) as ServerResponse['end'];
    // A handler that gives up on a started answer closes the connection: the Web side fails too.
    res.destroy = ((error?: Error) => {
      reject(error ?? new Error('response destroyed'));
      return res;
    }) as ServerResponse['destroy'];
  });
  // Callers that only lend the pair to the provider's helpers never await `done`.
  done.catch(() => undefined);
  return { req, res, done };
}

/** Answers a Web Request with a Node request handler. */
export async function respondWithNodeHandler(request: Request, handler: NodeHandler): Promise<Response> {
  const { req, res, done } = toNodePair(request);
  await handler(req, res);
  return done;
}

const callbacks = new WeakMap<Provider, NodeHandler>();

/** The provider's Node request handler (made once per provider). */
export function callbackOf(provider: Provider): NodeHandler {
  let callback = callbacks.get(provider);
  if (!callback) {
    callback = provider.callback() as NodeHandler;
    callbacks.set(provider, callback);
  }
  return callback;
}
