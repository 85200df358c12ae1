import { getServices } from '@/lib/composition/services';
import { clientIpFrom } from '@/lib/http/client-ip';
import { isJsonContentType } from '@/lib/http/flow-api';
import { serveFlowApiFromNext } from '../../../_lib/flow-api-next';
import { readFormPost } from '../../../_lib/form-post';
import { busyResponse, seeOther } from '../../../_lib/responses';
import { appErrorOf, formSubmissionValues } from '../../../_lib/sign-up-http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

/** GET /api/flows/:id — the current instruction as JSON (`?locale=` or Accept-Language picks the language). */
export async function GET(request: Request) {
  return serveFlowApiFromNext(request);
}

/**
 * POST /api/flows/:id — a submission. Content negotiation:
 * - JSON body → the flow as JSON, with the status of the outcome (lib/http/flow-api.ts; in
 *   production server.mjs sends these there without Next.js);
 * - form body (the server-rendered page) → 303 to the page (post/redirect/get), or straight to
 *   `continue_to` once the flow is complete.
 */
export async function POST(request: Request, { params }: Params) {
  if (isJsonContentType(request.headers.get('content-type'))) return serveFlowApiFromNext(request);
  const { id } = await params;
  const page = `/signup/${encodeURIComponent(id)}`;
  const form = await readFormPost(request);
  if (form instanceof Response) return form;
  const values = formSubmissionValues(form);
  try {
    // Not rendered here: the page renders the flow after the redirect (its errors are kept on the flow).
    const result = await getServices().signUp.submitForm(id, values, { ip: clientIpFrom(request.headers), cookieHeader: request.headers.get('cookie') });
    return seeOther(result.state === 'complete' && result.continueTo ? result.continueTo : page);
  } catch (e) {
    const error = appErrorOf(e);
    if (!error) throw e;
    if (error.code === 'server.busy') return busyResponse(request);
    // The page explains an unknown or expired flow; a flow of another browser starts over here.
    return seeOther(error.status === 403 ? '/signup' : page);
  }
}
