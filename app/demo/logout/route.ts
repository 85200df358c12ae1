import { cookies } from 'next/headers';
import * as oidc from 'openid-client';
import { readFormPost } from '../../_lib/form-post';
import { seeOther } from '../../_lib/responses';
import { DEMO_SESSION_COOKIE, type DemoSession, demoCookie, demoUrl, getDemoRp, openDemoCookie } from '../_lib/demo-rp';
import { requireDemoMode } from '@/app/_lib/demo-mode';

export const dynamic = 'force-dynamic';

/** POST /demo/logout — RP-initiated logout with id_token_hint, back to /demo. */
export async function POST(request: Request) {
  requireDemoMode();
  const refused = await readFormPost(request);
  if (refused instanceof Response) return refused;
  const session = await openDemoCookie<DemoSession>((await cookies()).get(DEMO_SESSION_COOKIE)?.value);
  const clear = demoCookie(DEMO_SESSION_COOKIE, '', 0);
  if (!session) return seeOther('/demo', clear);
  const url = oidc.buildEndSessionUrl(await getDemoRp(), {
    id_token_hint: session.idToken,
    post_logout_redirect_uri: demoUrl('/demo'),
    state: oidc.randomState(),
  });
  return seeOther(url.href, clear);
}
