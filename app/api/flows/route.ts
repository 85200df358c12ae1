import { z } from 'zod';
import { AppError } from '@/lib/domain/errors';
import { clientIpFrom } from '@/lib/infra/http/client-ip';
import { isSameOriginPost } from '@/lib/infra/http/same-origin';
import { flowCookieFor, getSignUpService } from '@/lib/infra/sign-up-deps';
import { matchAcceptLanguage, matchLocale } from '@/lib/i18n/locales';
import { appErrorOf, errorJson, flowJson, isJsonRequest } from '../../_lib/sign-up-http';

export const dynamic = 'force-dynamic';

const createRequest = z.strictObject({
  type: z.literal('signup'),
  region: z.string().regex(/^[A-Za-z]{2}$/).optional(),
  locale: z.string().max(35).optional(),
  interaction: z.string().min(1).max(128).optional(),
});

/**
 * POST /api/flows — starts a sign-up flow for a native renderer: JSON `{type: "signup", region?,
 * locale?, interaction?}` → 201 with the flow (its id is the bearer: 256 random bits, short TTL).
 * With `interaction` (a browser app), the flow is bound to that interaction and to this browser
 * by the flow cookie, like GET /signup?interaction=<uid>.
 */
export async function POST(request: Request) {
  const fallbackLocale = matchAcceptLanguage(request.headers.get('accept-language')) ?? 'en';
  if (!isSameOriginPost(request)) return errorJson(new AppError('signup.flow_foreign', { status: 403 }), fallbackLocale);
  if (!isJsonRequest(request)) return errorJson(new AppError('signup.invalid_request', { status: 415 }), fallbackLocale);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    body = null;
  }
  const parsed = createRequest.safeParse(body);
  if (!parsed.success) return errorJson(new AppError('signup.invalid_request', { status: 400 }), fallbackLocale);
  const { region, locale, interaction } = parsed.data;
  const explicit = locale ? matchLocale(locale) : undefined;
  const cookieHeader = request.headers.get('cookie');
  try {
    const flow = await getSignUpService().start({
      locale: explicit ?? { acceptLanguage: request.headers.get('accept-language') },
      region: region?.toUpperCase() ?? null,
      interactionUid: interaction ?? null,
      binding: interaction ? 'cookie' : 'bearer',
      ip: clientIpFrom(request.headers),
    });
    const headers: Record<string, string> = { location: `/api/flows/${flow.id}` };
    if (interaction) headers['set-cookie'] = flowCookieFor(flow.id, cookieHeader);
    return flowJson(flow, 201, headers);
  } catch (e) {
    const error = appErrorOf(e);
    if (!error) throw e;
    return errorJson(error, explicit ?? fallbackLocale);
  }
}
