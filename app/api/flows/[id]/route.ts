import { AppError } from '@/lib/domain/errors';
import { clientIpFrom } from '@/lib/infra/http/client-ip';
import { isSameOriginPost } from '@/lib/infra/http/same-origin';
import { getSignUpService } from '@/lib/infra/sign-up-deps';
import { busyResponse, forbiddenResponse, seeOther } from '../../../_lib/responses';
import { appErrorOf, errorJson, flowJson, isJsonRequest, readSubmission, requestedLocale } from '../../../_lib/sign-up-http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

/** GET /api/flows/:id — the current instruction as JSON (`?locale=` or Accept-Language picks the language). */
export async function GET(request: Request, { params }: Params) {
  const { id } = await params;
  const locale = requestedLocale(request);
  try {
    const flow = await getSignUpService().load(id, { locale, cookieHeader: request.headers.get('cookie') });
    return flowJson(flow);
  } catch (e) {
    const error = appErrorOf(e);
    if (!error) throw e;
    return errorJson(error, locale ?? 'en');
  }
}

/**
 * POST /api/flows/:id — a submission. Content negotiation:
 * - JSON body → the flow as JSON, with the status of the outcome (200; 400 bad input; 409 out of
 *   order; 410 expired code or flow; 429 throttled, with Retry-After; 403 another browser's flow);
 * - form body (the server-rendered page) → 303 to the page (post/redirect/get), or straight to
 *   `continue_to` once the flow is complete.
 */
export async function POST(request: Request, { params }: Params) {
  const { id } = await params;
  const json = isJsonRequest(request);
  const locale = json ? requestedLocale(request) : null;
  const page = `/signup/${encodeURIComponent(id)}`;
  if (!isSameOriginPost(request)) {
    return json ? errorJson(new AppError('signup.flow_foreign', { status: 403 }), locale ?? 'en') : forbiddenResponse(request);
  }
  const values = await readSubmission(request);
  if (!values) return json ? errorJson(new AppError('signup.invalid_request', { status: 400 }), locale ?? 'en') : seeOther(page);
  try {
    const result = await getSignUpService().submitWithStatus(id, values, { ip: clientIpFrom(request.headers), locale, cookieHeader: request.headers.get('cookie') });
    if (!json) return seeOther(result.flow.state === 'complete' && result.flow.continue_to ? result.flow.continue_to : page);
    return flowJson(result.flow, result.status, result.retryAfterSeconds ? { 'retry-after': String(result.retryAfterSeconds) } : {});
  } catch (e) {
    const error = appErrorOf(e);
    if (!error) throw e;
    if (error.code === 'server.busy') return json ? errorJson(error, locale ?? 'en', { 'retry-after': '1' }) : busyResponse(request);
    if (json) return errorJson(error, locale ?? 'en');
    // The page explains an unknown or expired flow; a flow of another browser starts over here.
    return seeOther(error.status === 403 ? '/signup' : page);
  }
}
