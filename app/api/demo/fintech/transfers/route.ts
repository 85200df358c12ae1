import { z } from 'zod';
import { guardDemoRequest, NO_STORE } from '../../_lib/demo-resource-server';
import { requireDemoMode } from '@/app/_lib/demo-mode';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const transfer = z.strictObject({ to: z.string().min(1).max(100), amount: z.number().int().positive().max(1_000_000) });

/**
 * POST /api/demo/fintech/transfers — JP accounts, scope fintech:write and at least
 * urn:meridian:aal2: a password-only sign-in gets 401 insufficient_user_authentication with
 * acr_values, and the app sends the user through a step-up authorization (RFC 9470).
 */
export async function POST(request: Request) {
  requireDemoMode();
  const access = await guardDemoRequest(request);
  if (access instanceof Response) return access;
  const parsed = transfer.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) {
    return Response.json({ error: 'invalid_request', error_description: 'expected { to, amount }' }, { status: 400, headers: NO_STORE });
  }
  return Response.json({ transfer: { id: `tr-${crypto.randomUUID()}`, from: access.token.sub, ...parsed.data, currency: 'JPY', status: 'accepted' } }, { status: 201, headers: NO_STORE });
}
