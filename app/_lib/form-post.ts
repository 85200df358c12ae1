import { requestErrorResponse } from '@/lib/http/request-error-page';
import { isSameOriginPost } from '@/lib/http/same-origin';
import { forbiddenResponse } from './responses';

/**
 * The steps every form route of the pages runs before its own work, in order (the body's size
 * cap runs earlier, in server.mjs: lib/http/request-body-limit.ts):
 *   1. refuseForeignOrigin    403 request.cross_origin — a POST from another site's page (CSRF)
 *   2. refuseNonFormBody      415 request.unsupported_media_type — only what an HTML form sends
 *   3. parseFormBody          400 request.malformed_body — a body that does not parse as its type
 * Each refusal is a localized page (lib/http/request-error-page.ts), never a 500.
 */

/** What an HTML form sends (enctype urlencoded or multipart); text/plain forms are refused too. */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

type Step = (request: Request) => Response | null;

export const refuseForeignOrigin: Step = (request) => (isSameOriginPost(request) ? null : forbiddenResponse(request));

export const refuseNonFormBody: Step = (request) => {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return FORM_TYPES.includes(type) ? null : requestErrorResponse(request.headers, 415, 'request.unsupported_media_type');
};

export async function parseFormBody(request: Request): Promise<FormData | Response> {
  try {
    return await request.formData();
  } catch {
    return requestErrorResponse(request.headers, 400, 'request.malformed_body');
  }
}

/** Runs the steps: the form, or the Response that refused it (return that as it is). */
export async function readFormPost(request: Request): Promise<FormData | Response> {
  for (const check of [refuseForeignOrigin, refuseNonFormBody]) {
    const refused = check(request);
    if (refused) return refused;
  }
  return parseFormBody(request);
}
