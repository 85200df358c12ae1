import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientIpFrom } from './client-ip';
import { runDirectHandler } from './direct-handler';
import { matchAcceptLanguage } from '../i18n/locales';
import { readNodeBodyCapped } from './capped-body';
import { serveFlowApi } from './flow-api';
import { serverErrorResponse } from './flow-api-responses';
import { MAX_FLOW_API_BODY_BYTES, type FlowApiResponse } from './flow-api-types';

export type FlowApiNodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Where server.mjs looks for the handler; see publishFlowApiNodeHandler. */
export const FLOW_API_NODE_HANDLER_KEY = '__meridianFlowApiNodeHandler';

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  return typeof value === 'string' ? value : value.join(', ');
}

function write(res: ServerResponse, answer: FlowApiResponse): void {
  // With its length the response goes out in one write; without, writeHead picks chunked framing.
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const answer = await serveFlowApi({
    method: req.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    header: (name) => headerOf(req, name),
    readBody: () => readNodeBodyCapped(req, MAX_FLOW_API_BODY_BYTES),
    ip: clientIpFrom(req.headers),
  });
  write(res, answer);
}

/**
 * Serves the sign-up JSON flow API with the Node req/res that server.mjs received: Next.js
 * routing and its Web Request/Response adapters cost about a quarter of a sign-up's non-hashing
 * CPU (docs/performance-history.md). Form posts to the same paths still go through Next.js.
 */
export function handleFlowApiNodeRequest(req: IncomingMessage, res: ServerResponse): void {
  runDirectHandler('flows', req, res, serve, () => write(res, serverErrorResponse(matchAcceptLanguage(headerOf(req, 'accept-language')) ?? 'en')));
}

/** Makes the handler reachable from server.mjs through globalThis, like the /oidc/ one. */
export function publishFlowApiNodeHandler(): void {
  (globalThis as Record<string, unknown>)[FLOW_API_NODE_HANDLER_KEY] = handleFlowApiNodeRequest;
}
