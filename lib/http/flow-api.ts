import { z } from 'zod';
import { isAppError } from '../domain/errors';
import { isSameOriginHeader } from './same-origin';
import { getServices } from '../composition/services';
import { flowCookieFor } from './sign-up-flow-cookie';
import { matchAcceptLanguage, matchLocale, type SupportedLocale } from '../i18n/locales';
import { errorResponse, flowResponse } from './flow-api-responses';
import type { FlowApiRequest, FlowApiResponse } from './flow-api-types';
import { submissionValuesOf } from './submission-values';

/**
 * The sign-up JSON flow API without a web framework: POST /api/flows (start), GET /api/flows/:id
 * (the current instruction), POST /api/flows/:id with a JSON body (a submission). server.mjs
 * serves it straight from Node; the Next.js route handlers delegate their JSON branches here.
 */

const FLOWS_PATH = '/api/flows';

const createRequest = z.strictObject({
  type: z.literal('signup'),
  region: z.string().regex(/^[A-Za-z]{2}$/).optional(),
  locale: z.string().max(35).optional(),
  interaction: z.string().min(1).max(128).optional(),
});

const FOREIGN = { code: 'signup.flow_foreign', status: 403, details: undefined };
const INVALID = { code: 'signup.invalid_request', status: 400, details: undefined };
const NOT_JSON = { ...INVALID, status: 415 };
const NOT_ALLOWED = { ...INVALID, status: 405 };
const TOO_LARGE = { code: 'signup.body_too_large', status: 413, details: undefined };
const NOT_FOUND = { code: 'signup.flow_not_found', status: 404, details: undefined };

export async function serveFlowApi(req: FlowApiRequest): Promise<FlowApiResponse> {
  if (req.path === FLOWS_PATH) {
    return req.method === 'POST' ? create(req) : errorResponse(NOT_ALLOWED, requestedLocale(req) ?? 'en', { allow: 'POST' });
  }
  const id = flowIdOf(req.path);
  if (id === null) return errorResponse(NOT_FOUND, requestedLocale(req) ?? 'en');
  if (req.method === 'GET') return load(req, id);
  if (req.method === 'POST') return submit(req, id);
  return errorResponse(NOT_ALLOWED, requestedLocale(req) ?? 'en', { allow: 'GET, POST' });
}

export function isJsonContentType(contentType: string | null): boolean {
  return (contentType ?? '').toLowerCase().startsWith('application/json');
}

/** The locale a JSON client asks for: `?locale=`, else Accept-Language; null = the flow's own. */
export function requestedLocale(req: Pick<FlowApiRequest, 'query' | 'header'>): SupportedLocale | null {
  const query = req.query ? new URLSearchParams(req.query).get('locale') : null;
  return (query ? matchLocale(query) : undefined) ?? matchAcceptLanguage(req.header('accept-language')) ?? null;
}

function flowIdOf(path: string): string | null {
  if (!path.startsWith(`${FLOWS_PATH}/`)) return null;
  const raw = path.slice(FLOWS_PATH.length + 1);
  if (!raw || raw.includes('/')) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const TOO_LARGE_BODY = Symbol('too large');

/** The parsed body; TOO_LARGE_BODY over the cap; undefined when it is not JSON. */
async function readJson(req: FlowApiRequest): Promise<unknown> {
  const text = await req.readBody();
  if (text === null) return TOO_LARGE_BODY;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Starts a sign-up flow: JSON `{type: "signup", region?, locale?, interaction?}` → 201 with the flow. */
async function create(req: FlowApiRequest): Promise<FlowApiResponse> {
  const acceptLanguage = req.header('accept-language');
  const fallbackLocale = matchAcceptLanguage(acceptLanguage) ?? 'en';
  if (!isSameOriginHeader(req.header('origin'))) return errorResponse(FOREIGN, fallbackLocale);
  if (!isJsonContentType(req.header('content-type'))) return errorResponse(NOT_JSON, fallbackLocale);
  const body = await readJson(req);
  if (body === TOO_LARGE_BODY) return errorResponse(TOO_LARGE, fallbackLocale);
  const parsed = createRequest.safeParse(body ?? null);
  if (!parsed.success) return errorResponse(INVALID, fallbackLocale);
  const { region, locale, interaction } = parsed.data;
  const explicit = locale ? matchLocale(locale) : undefined;
  try {
    const flow = await getServices().signUp.start({
      locale: explicit ?? { acceptLanguage },
      region: region?.toUpperCase() ?? null,
      interactionUid: interaction ?? null,
      binding: interaction ? 'cookie' : 'bearer',
      ip: req.ip,
    });
    const headers: Record<string, string> = { location: `${FLOWS_PATH}/${flow.id}` };
    // A browser app's flow is bound to this browser by the flow cookie, like GET /signup?interaction=.
    if (interaction) headers['set-cookie'] = flowCookieFor(flow.id, req.header('cookie'));
    return flowResponse(flow, 201, headers);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return errorResponse(e, explicit ?? fallbackLocale);
  }
}

async function load(req: FlowApiRequest, id: string): Promise<FlowApiResponse> {
  const locale = requestedLocale(req);
  try {
    return flowResponse(await getServices().signUp.load(id, { locale, cookieHeader: req.header('cookie') }));
  } catch (e) {
    if (!isAppError(e)) throw e;
    return errorResponse(e, locale ?? 'en');
  }
}

/**
 * A JSON submission → the flow, with the status of the outcome (200; 400 bad input; 409 out of
 * order; 410 expired code or flow; 429 throttled, with Retry-After; 403 another browser's flow).
 */
async function submit(req: FlowApiRequest, id: string): Promise<FlowApiResponse> {
  const locale = requestedLocale(req);
  const errorLocale = locale ?? 'en';
  if (!isSameOriginHeader(req.header('origin'))) return errorResponse(FOREIGN, errorLocale);
  if (!isJsonContentType(req.header('content-type'))) return errorResponse(NOT_JSON, errorLocale);
  const body = await readJson(req);
  if (body === TOO_LARGE_BODY) return errorResponse(TOO_LARGE, errorLocale);
  const values = submissionValuesOf(body);
  if (!values) return errorResponse(INVALID, errorLocale);
  try {
    const result = await getServices().signUp.submitWithStatus(id, values, { ip: req.ip, locale, cookieHeader: req.header('cookie') });
    return flowResponse(result.flow, result.status, result.retryAfterSeconds ? { 'retry-after': String(result.retryAfterSeconds) } : {});
  } catch (e) {
    if (!isAppError(e)) throw e;
    return errorResponse(e, errorLocale, e.code === 'server.busy' ? { 'retry-after': '1' } : {});
  }
}
