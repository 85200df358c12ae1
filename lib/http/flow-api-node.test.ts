import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bootClientIpSecret } from './client-ip-stamp.mjs';
import type { FlowApiRequest } from './flow-api-types';

const serveFlowApi = vi.hoisted(() => vi.fn());
vi.mock('./flow-api', () => ({ serveFlowApi }));
vi.spyOn(console, 'error').mockImplementation(() => {});

const { handleFlowApiNodeRequest } = await import('./flow-api-node');

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer(handleFlowApiNodeRequest);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  serveFlowApi.mockReset();
});

describe('handleFlowApiNodeRequest', () => {
  it('hands the core path, query, headers, body and the client IP; writes its answer with a length', async () => {
    let seen: { method: string; path: string; query: string; lang: string | null; ip: string; body: string | null } | undefined;
    serveFlowApi.mockImplementation(async (req: FlowApiRequest) => {
      seen = { method: req.method, path: req.path, query: req.query, lang: req.header('accept-language'), ip: req.ip, body: await req.readBody() };
      return { status: 201, headers: { 'content-type': 'application/json', location: '/api/flows/x' }, body: '{"id":"日本"}' };
    });
    const res = await fetch(`${base}/api/flows?locale=ja`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'ja', 'x-meridian-client-ip': '192.0.2.1', 'x-meridian-client-ip-proof': bootClientIpSecret() }, body: '{"type":"signup"}' });
    expect(seen).toEqual({ method: 'POST', path: '/api/flows', query: 'locale=ja', lang: 'ja', ip: '192.0.2.1', body: '{"type":"signup"}' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/flows/x');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength('{"id":"日本"}')));
    expect(await res.text()).toBe('{"id":"日本"}');
  });

  it('answers a failure with a localized JSON 500, no-store', async () => {
    serveFlowApi.mockRejectedValue(new Error('database down'));
    const res = await fetch(`${base}/api/flows/abc`, { headers: { 'accept-language': 'ja' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ error: { id: 'server.error', text: 'このリクエストを完了できませんでした。アプリに戻ってもう一度お試しください。', status: 500 } });
  });

  it('gives the core null for a body over 64 KiB', async () => {
    serveFlowApi.mockImplementation(async (req: FlowApiRequest) => ({ status: 200, headers: {}, body: String(await req.readBody()) }));
    const res = await fetch(`${base}/api/flows/abc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(64 * 1024 + 1) });
    expect(await res.text()).toBe('null');
  });
});
