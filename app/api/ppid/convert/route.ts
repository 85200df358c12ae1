import { isAppError } from '@/lib/domain/errors';
import { convertSubjects } from '@/lib/domain/pairwise/ppid-conversion';
import { getServices } from '@/lib/composition/services';
import type { OwnTokenVerifier } from '@/lib/protocol/subject-tokens/own-token-verifier';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * PPID conversion API: `POST /api/ppid/convert`.
 *
 *   Authorization: Bearer <client_credentials access token for ppid_conversion.resource, with its scope>
 *   { "source_client_id": "travel-web", "subjects": ["<PPID>", …] }         (1 to 1000 subjects)
 *   → 200 { "subjects": [{ "source": "<PPID>", "target": "<caller's PPID>" | null }, …] }
 *
 * The caller (the token's client) gets its own subject for each account — its PPID if it is
 * pairwise — only where ppid_conversion.permissions lets it convert that source's. Unknown ids,
 * and those of disabled or deleted accounts, come back as `target: null`. Errors are JSON
 * `{ error, error_description }`:
 *   401 missing_token / invalid_token (with WWW-Authenticate), 403 insufficient_scope,
 *   400 invalid_request (bad body, more than 1000 subjects), 403 conversion_not_permitted
 *   (also for a source that does not exist), 404 not_found (conversion not configured).
 */

const MAX_BODY_BYTES = 512 * 1024;
const REALM = 'ppid-conversion';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

function error(status: number, code: string, description: string, challenge?: Record<string, string>): Response {
  const headers: Record<string, string> = {};
  if (challenge) {
    const params = Object.entries({ realm: REALM, ...challenge }).map(([k, v]) => `${k}="${v}"`);
    headers['www-authenticate'] = `Bearer ${params.join(', ')}`;
  }
  return json(status, { error: code, error_description: description }, headers);
}

type Caller = { clientId: string } | { denied: Response };

async function authenticate(request: Request, resource: string, scope: string): Promise<Caller> {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
  if (!match) return { denied: error(401, 'missing_token', 'a Bearer access token is required', {}) };
  let payload: Awaited<ReturnType<OwnTokenVerifier['verifyAccessToken']>>;
  try {
    payload = await getServices().ownTokens.verifyAccessToken(match[1]!);
  } catch {
    return { denied: error(401, 'invalid_token', 'the access token is invalid or expired', { error: 'invalid_token' }) };
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(resource)) return { denied: error(401, 'invalid_token', 'the access token is not for this API', { error: 'invalid_token' }) };
  // Callers are services: a client credentials token, whose subject is the client itself.
  if (payload.sub !== payload.client_id) return { denied: error(401, 'invalid_token', 'a client credentials token is required', { error: 'invalid_token' }) };
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
  if (!scopes.includes(scope)) return { denied: error(403, 'insufficient_scope', `the ${scope} scope is required`, { error: 'insufficient_scope', scope }) };
  return { clientId: String(payload.client_id) };
}

async function readBody(request: Request): Promise<{ source: string; subjects: unknown[] } | undefined> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { source_client_id: source, subjects } = body as Record<string, unknown>;
  if (typeof source !== 'string' || !source || !Array.isArray(subjects)) return undefined;
  return { source, subjects };
}

export async function POST(request: Request): Promise<Response> {
  const conversion = getServices().config.ppid_conversion;
  if (!conversion) return error(404, 'not_found', 'PPID conversion is not configured');
  const caller = await authenticate(request, conversion.resource, conversion.scope);
  if ('denied' in caller) return caller.denied;
  const body = await readBody(request);
  if (!body) return error(400, 'invalid_request', 'expected JSON { "source_client_id": string, "subjects": string[] }');
  const pairwise = getServices().pairwise;
  try {
    const subjects = await convertSubjects(
      { permissions: conversion.permissions, namespaceOf: (id) => pairwise.namespaceOf(id), subjects: pairwise.subjects },
      { caller: caller.clientId, source: body.source, subjects: body.subjects },
    );
    return json(200, { subjects });
  } catch (e) {
    if (isAppError(e) && e.code === 'ppid.invalid_request') {
      return error(400, 'invalid_request', 'subjects must hold 1 to 1000 non-empty strings of at most 255 characters');
    }
    if (isAppError(e) && e.code === 'ppid.conversion_not_permitted') {
      return error(403, 'conversion_not_permitted', 'this client may not convert subjects of that source');
    }
    throw e;
  }
}
