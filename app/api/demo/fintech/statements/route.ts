import { guardDemoRequest, NO_STORE } from '../../_lib/demo-resource-server';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/demo/fintech/statements — JP accounts, scope fintech:read, and DPoP required
 * (`dpop: required` in idp.config.yaml): only a DPoP-bound token with a fresh proof is accepted,
 * so a token copied from a log or a proxy is useless without the client's private key.
 */
export async function GET(request: Request) {
  const access = await guardDemoRequest(request);
  if (access instanceof Response) return access;
  const statements = [
    { month: '2026-10', opening: 98_000, closing: 112_500 },
    { month: '2026-11', opening: 112_500, closing: 125_000 },
  ];
  return Response.json({ account: access.token.sub, currency: 'JPY', statements }, { headers: NO_STORE });
}
