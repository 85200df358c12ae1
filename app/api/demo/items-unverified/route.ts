import { demoItemsPayload } from '../_lib/demo-items';
import { NO_STORE } from '../_lib/demo-resource-server';
import { requireDemoMode } from '@/app/_lib/demo-mode';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * BENCHMARK REFERENCE ONLY — GET /api/demo/items-unverified answers exactly what
 * GET /api/demo/items answers, without looking at any token. `npm run bench` measures both in
 * the same run, so the difference is the cost of JWT verification and the endpoint rules.
 * It serves the demo's static sample items only: never copy this route for real data.
 */
export async function GET() {
  requireDemoMode();
  return Response.json(demoItemsPayload(), { headers: NO_STORE });
}
