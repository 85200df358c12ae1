import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../domain/errors';
import type { Flow } from '../domain/flows/flow';
import { serveFlowApi } from './flow-api';
import { MAX_FLOW_API_BODY_BYTES, type FlowApiRequest } from './flow-api-types';

const service = vi.hoisted(() => ({ start: vi.fn(), load: vi.fn(), submitWithStatus: vi.fn() }));
vi.mock('../composition/services', () => ({ getServices: () => ({ signUp: service }) }));
vi.mock('./sign-up-flow-cookie', () => ({ flowCookieFor: (id: string) => `meridian_signup=${id}; Path=/` }));

const FLOW = { id: 'flow-id-0123456789abcdefghij', state: 'active' } as unknown as Flow;
// getEnv()'s default PUBLIC_URL in tests.
const OWN_ORIGIN = 'http://localhost:3000';

function request(init: { method?: string; path?: string; query?: string; headers?: Record<string, string>; body?: string | null }): FlowApiRequest & { bodyReads: number } {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  const req = {
    method: init.method ?? 'POST',
    path: init.path ?? '/api/flows',
    query: init.query ?? '',
    header: (name: string) => headers[name] ?? null,
    bodyReads: 0,
    readBody: async () => {
      req.bodyReads += 1;
      return init.body === undefined ? '{}' : init.body;
    },
    ip: '203.0.113.9',
  };
  return req;
}

function bodyOf(answer: { body: string }): { error: { id: string; text: string; status: number } } {
  return JSON.parse(answer.body) as { error: { id: string; text: string; status: number } };
}

beforeEach(() => {
  service.start.mockReset().mockResolvedValue(FLOW);
  service.load.mockReset().mockResolvedValue(FLOW);
  service.submitWithStatus.mockReset().mockResolvedValue({ flow: FLOW, status: 200 });
});

describe('POST /api/flows', () => {
  it('refuses another origin with a localized 403 before reading the body', async () => {
    const req = request({ headers: { origin: 'https://evil.example', 'accept-language': 'ja' }, body: '{"type":"signup"}' });
    const answer = await serveFlowApi(req);
    expect(answer.status).toBe(403);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(bodyOf(answer).error).toEqual({ id: 'signup.flow_foreign', text: 'この登録は別のブラウザで開始されました。このブラウザで最初からやり直してください。', status: 403 });
    expect(req.bodyReads).toBe(0);
    expect(service.start).not.toHaveBeenCalled();
  });

  it('lets our own origin and a request without Origin through', async () => {
    expect((await serveFlowApi(request({ headers: { origin: OWN_ORIGIN }, body: '{"type":"signup"}' }))).status).toBe(201);
    expect((await serveFlowApi(request({ body: '{"type":"signup"}' }))).status).toBe(201);
  });

  it('answers 415 to a body that is not JSON', async () => {
    const answer = await serveFlowApi(request({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'type=signup' }));
    expect(answer.status).toBe(415);
    expect(bodyOf(answer).error.id).toBe('signup.invalid_request');
    expect(service.start).not.toHaveBeenCalled();
  });

  it('answers 400 to malformed JSON and to a body outside the schema', async () => {
    for (const body of ['{"type":"signup"', '', '{"type":"signup","extra":1}', '{"type":"login"}', '{"type":"signup","region":"USA"}']) {
      const answer = await serveFlowApi(request({ body }));
      expect(answer.status, body).toBe(400);
      expect(bodyOf(answer).error).toEqual({ id: 'signup.invalid_request', text: 'The request could not be understood.', status: 400 });
    }
    expect(service.start).not.toHaveBeenCalled();
  });

  it('answers 413 with a localized error when the body is over the cap', async () => {
    const answer = await serveFlowApi(request({ headers: { 'accept-language': 'zh-TW' }, body: null }));
    expect(answer.status).toBe(413);
    expect(bodyOf(answer).error).toEqual({ id: 'signup.body_too_large', text: '要求的內容過大。', status: 413 });
    expect(service.start).not.toHaveBeenCalled();
  });

  it('starts a flow: 201, location, no-store; the flow cookie only for an interaction', async () => {
    const bearer = await serveFlowApi(request({ body: '{"type":"signup","region":"us","locale":"ja-JP"}' }));
    expect(bearer).toMatchObject({ status: 201, headers: { location: `/api/flows/${FLOW.id}`, 'cache-control': 'no-store', 'content-type': 'application/json' } });
    expect(bearer.headers['set-cookie']).toBeUndefined();
    expect(JSON.parse(bearer.body)).toEqual(FLOW);
    expect(service.start).toHaveBeenCalledWith({ locale: 'ja', region: 'US', interactionUid: null, binding: 'bearer', ip: '203.0.113.9' });
    const bound = await serveFlowApi(request({ body: '{"type":"signup","interaction":"uid-1"}', headers: { 'accept-language': 'ja' } }));
    expect(bound.headers['set-cookie']).toBe(`meridian_signup=${FLOW.id}; Path=/`);
    expect(service.start).toHaveBeenLastCalledWith({ locale: { acceptLanguage: 'ja' }, region: null, interactionUid: 'uid-1', binding: 'cookie', ip: '203.0.113.9' });
  });

  it('only accepts POST', async () => {
    expect((await serveFlowApi(request({ method: 'GET' }))).status).toBe(405);
  });
});

describe('/api/flows/:id', () => {
  const path = `/api/flows/${FLOW.id}`;

  it('GET: the flow in the ?locale= language; an AppError as localized JSON', async () => {
    const answer = await serveFlowApi(request({ method: 'GET', path, query: 'locale=zh-Hant', headers: { cookie: 'a=b' } }));
    expect(answer.status).toBe(200);
    expect(service.load).toHaveBeenCalledWith(FLOW.id, { locale: 'zh-TW', cookieHeader: 'a=b' });
    service.load.mockRejectedValueOnce(new AppError('signup.flow_not_found', { status: 404 }));
    const missing = await serveFlowApi(request({ method: 'GET', path, headers: { 'accept-language': 'ja' } }));
    expect(missing.status).toBe(404);
    expect(bodyOf(missing).error.text).toBe('この登録リンクは無効です。最初からやり直してください。');
  });

  it('POST: refuses another origin, non-JSON, malformed JSON, non-objects and oversized bodies before the service', async () => {
    const cases: [Parameters<typeof request>[0], number, string][] = [
      [{ headers: { origin: 'https://evil.example' } }, 403, 'signup.flow_foreign'],
      [{ headers: { 'content-type': 'text/plain' } }, 415, 'signup.invalid_request'],
      [{ body: '{"step":' }, 400, 'signup.invalid_request'],
      [{ body: '["email"]' }, 400, 'signup.invalid_request'],
      [{ body: 'null' }, 400, 'signup.invalid_request'],
      [{ body: null }, 413, 'signup.body_too_large'],
    ];
    for (const [init, status, id] of cases) {
      const answer = await serveFlowApi(request({ ...init, path }));
      expect([answer.status, bodyOf(answer).error.id], JSON.stringify(init)).toEqual([status, id]);
    }
    expect(service.submitWithStatus).not.toHaveBeenCalled();
  });

  it('POST: flat string values to the service; the outcome status and Retry-After', async () => {
    service.submitWithStatus.mockResolvedValueOnce({ flow: FLOW, status: 429, retryAfterSeconds: 30 });
    const answer = await serveFlowApi(request({ path, body: '{"step":"terms","accept":true,"marketing":false,"n":5,"x":null}', headers: { 'accept-language': 'ja' } }));
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('30');
    expect(service.submitWithStatus).toHaveBeenCalledWith(FLOW.id, { step: 'terms', accept: 'true', n: '5' }, { ip: '203.0.113.9', locale: 'ja', cookieHeader: null });
  });

  it('POST: hashing at capacity → 503 with Retry-After 1', async () => {
    service.submitWithStatus.mockRejectedValueOnce(new AppError('server.busy', { status: 503 }));
    const answer = await serveFlowApi(request({ path, body: '{}' }));
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(bodyOf(answer).error.text).toBe('We are busy right now. Please try again in a moment.');
  });

  it('lets other failures through to the server (500 there)', async () => {
    service.load.mockRejectedValueOnce(new Error('database down'));
    await expect(serveFlowApi(request({ method: 'GET', path }))).rejects.toThrow('database down');
  });

  it('does not serve deeper paths', async () => {
    expect((await serveFlowApi(request({ method: 'GET', path: `${path}/verify` }))).status).toBe(404);
    expect(service.load).not.toHaveBeenCalled();
  });
});

it('the cap is 64 KiB', () => {
  expect(MAX_FLOW_API_BODY_BYTES).toBe(65_536);
});
