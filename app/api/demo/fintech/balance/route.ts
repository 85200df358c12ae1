import { guardDemoRequest, NO_STORE } from '../../_lib/demo-resource-server';
import { requireDemoMode } from '@/app/_lib/demo-mode';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/demo/fintech/balance — JP accounts only (scope fintech:read; rules in idp.config.yaml). */
export async function GET(request: Request) {
  requireDemoMode();
  const access = await guardDemoRequest(request);
  if (access instanceof Response) return access;
  return Response.json({ account: access.token.sub, region: access.token.region, currency: 'JPY', balance: 125_000 }, { headers: NO_STORE });
}
