import { z } from 'zod';
import { demoItemsPayload } from '../_lib/demo-items';
import { guardDemoRequest, NO_STORE } from '../_lib/demo-resource-server';
import { requireDemoMode } from '@/app/_lib/demo-mode';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/demo/items — marketplace items, any region (scope items:read; rules in idp.config.yaml). */
export async function GET(request: Request) {
  requireDemoMode();
  const access = await guardDemoRequest(request);
  if (access instanceof Response) return access;
  return Response.json(demoItemsPayload(), { headers: NO_STORE });
}

const newItem = z.strictObject({
  name: z.string().trim().min(1).max(200),
  price: z.number().int().nonnegative(),
  currency: z.enum(['JPY', 'TWD', 'HKD', 'USD']),
});

/** POST /api/demo/items — lists an item (scope items:write); echoed back, nothing is stored. */
export async function POST(request: Request) {
  requireDemoMode();
  const access = await guardDemoRequest(request);
  if (access instanceof Response) return access;
  const parsed = newItem.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) {
    return Response.json({ error: 'invalid_request', error_description: 'expected { name, price, currency }' }, { status: 400, headers: NO_STORE });
  }
  const item = { id: `item-${crypto.randomUUID()}`, ...parsed.data, seller: access.token.sub, seller_region: access.token.region ?? null };
  return Response.json({ item }, { status: 201, headers: NO_STORE });
}
