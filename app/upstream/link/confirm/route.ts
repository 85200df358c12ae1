import { isAppError } from '@/lib/domain/errors';
import { linkAfterPassword } from '@/lib/domain/sign-in/upstream-sign-in';
import { upstreamLoginStore } from '@/lib/infra/db/upstream-login-store';
import { clientIpFrom } from '@/lib/infra/http/client-ip';
import { isSameOriginPost } from '@/lib/infra/http/same-origin';
import { getPasswordSignInDeps } from '@/lib/infra/sign-in-deps';
import { getUpstreamSignInDeps } from '@/lib/infra/upstream-sign-in-deps';
import { busyResponse, forbiddenResponse, seeOther } from '@/app/_lib/responses';
import { signInByUid } from '@/app/_lib/sign-in-by-uid';
import { upstreamCookie, upstreamStateFrom } from '@/app/_lib/upstream-cookie';

export const dynamic = 'force-dynamic';

/**
 * POST /upstream/link/confirm — the existing account's password: with the password sign-in's
 * rules (lockout per email and IP), then the upstream identity is linked and the person signed in
 * with both methods (amr pwd + fed).
 */
export async function POST(request: Request) {
  if (!isSameOriginPost(request)) return forbiddenResponse(request);
  const state = upstreamStateFrom(request.headers.get('cookie'));
  const login = state ? await upstreamLoginStore.find(state) : null;
  if (!state || !login?.linkAccountId || !login.subject || login.expiresAt <= new Date()) return seeOther('/upstream/link');
  const form = await request.formData();
  const password = form.get('password');
  if (typeof password !== 'string' || password.length === 0 || password.length > 1024) return seeOther('/upstream/link?error=signin.invalid_input');
  try {
    const linked = await linkAfterPassword(
      { ...getUpstreamSignInDeps(), password: getPasswordSignInDeps() },
      { accountId: login.linkAccountId, provider: login.provider, subject: login.subject, email: login.email, password, ip: clientIpFrom(request.headers) },
    );
    await upstreamLoginStore.remove(state);
    return await signInByUid(request, login.interactionUid, linked.account, { acr: linked.acr, amr: linked.amr }, upstreamCookie(null));
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === 'server.busy') return busyResponse(request);
    if (e.code === 'signin.account_disabled' || e.code === 'signin.expired' || e.code === 'signup.interaction_expired') {
      await upstreamLoginStore.remove(state);
      return seeOther(`/interaction/${encodeURIComponent(login.interactionUid)}?error=${e.code === 'signin.account_disabled' ? e.code : 'signin.expired'}`, upstreamCookie(null));
    }
    const minutes = e.details?.minutes ? `&minutes=${e.details.minutes}` : '';
    return seeOther(`/upstream/link?error=${encodeURIComponent(e.code)}${minutes}`);
  }
}
