import { createRemoteJWKSet, jwtVerify } from 'jose';
import { getEnv } from '@/lib/config/env';
import { readFormPost } from '../../_lib/form-post';
import { DEMO_CLIENT_ID, loggedOutSids } from '../_lib/demo-rp';
import { requireDemoMode } from '@/app/_lib/demo-mode';

export const dynamic = 'force-dynamic';

const holder = globalThis as unknown as { __meridianDemoJwks?: ReturnType<typeof createRemoteJWKSet> };

/** POST /demo/backchannel-logout — OIDC Back-Channel Logout: verify the logout token, end the sid. */
export async function POST(request: Request) {
  requireDemoMode();
  const env = getEnv();
  holder.__meridianDemoJwks ??= createRemoteJWKSet(new URL(`${env.issuer}/jwks`));
  // The provider posts without Origin; a browser posting from another site is refused like any form.
  const form = await readFormPost(request);
  if (form instanceof Response) return form;
  const token = form.get('logout_token');
  if (typeof token !== 'string') return Response.json({ error: 'invalid_request' }, { status: 400 });
  try {
    const { payload } = await jwtVerify(token, holder.__meridianDemoJwks, { issuer: env.issuer, audience: DEMO_CLIENT_ID, typ: 'logout+jwt' });
    const events = payload.events as Record<string, unknown> | undefined;
    if (!events?.['http://schemas.openid.net/event/backchannel-logout'] || 'nonce' in payload) throw new Error('not a logout token');
    if (typeof payload.sid === 'string') loggedOutSids().add(payload.sid);
    return new Response(null, { status: 200, headers: { 'cache-control': 'no-store' } });
  } catch {
    return Response.json({ error: 'invalid_request' }, { status: 400 });
  }
}
