import { serveFlowApiFromNext } from '../../_lib/flow-api-next';

export const dynamic = 'force-dynamic';

/**
 * POST /api/flows — starts a sign-up flow for a native renderer: JSON `{type: "signup", region?,
 * locale?, interaction?}` → 201 with the flow (its id is the bearer: 256 random bits, short TTL).
 * With `interaction` (a browser app), the flow is bound to that interaction and to this browser
 * by the flow cookie, like GET /signup?interaction=<uid>. Served by lib/http/flow-api.ts; in
 * production server.mjs sends JSON requests there without Next.js.
 */
export async function POST(request: Request) {
  return serveFlowApiFromNext(request);
}
