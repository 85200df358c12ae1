import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type Provider from 'oidc-provider';
import { getEnv } from '../config/env';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export type NodePair = { req: IncomingMessage; res: ServerResponse; done: Promise<Response> };

/**
 * Builds a Node req/res pair for a Web Request. Host and protocol come from PUBLIC_URL, never
 * from client headers, so the provider cannot be tricked into minting URLs for another host.
 */
export function toNodePair(request: Request, body: Buffer | undefined, options: { mountPath?: string; clientIp?: string } = {}): NodePair {
  const { publicUrl } = getEnv();
  const url = new URL(request.url);
  const socket = new Socket();
  Object.defineProperties(socket, {
    encrypted: { value: publicUrl.protocol === 'https:' },
    remoteAddress: { value: options.clientIp ?? '127.0.0.1' },
  });
  const req = new IncomingMessage(socket);
  req.method = request.method;
  const fullPath = `${url.pathname}${url.search}`;
  const mount = options.mountPath ?? '';
  (req as IncomingMessage & { originalUrl: string }).originalUrl = fullPath;
  req.url = mount && fullPath.startsWith(mount) ? fullPath.slice(mount.length) || '/' : fullPath;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    headers[key] = value;
  });
  for (const h of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded']) delete headers[h];
  headers.host = publicUrl.host;
  if (body) headers['content-length'] = String(body.length);
  req.headers = headers;
  if (body && body.length > 0) req.push(body);
  req.push(null);

  const res = new ServerResponse(req);
  const chunks: Buffer[] = [];
  const collect = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  };
  const done = new Promise<Response>((resolve) => {
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
  });
  return { req, res, done };
}

async function readBody(request: Request): Promise<Buffer | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  return Buffer.from(await request.arrayBuffer());
}

/** Hands a Web Request to oidc-provider's Node callback and returns its answer as a Web Response. */
export async function bridgeToProvider(provider: Provider, request: Request, clientIp: string | undefined): Promise<Response> {
  const body = await readBody(request);
  const { req, res, done } = toNodePair(request, body, { mountPath: new URL(provider.issuer).pathname, clientIp });
  await callbackOf(provider)(req, res);
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
