import { getServices } from '@/lib/composition/services';
import { isAppError } from '@/lib/domain/errors';
import { linkAfterEmailCode, linkAfterPassword } from '@/lib/domain/sign-in/upstream-sign-in';
import { clientIpFrom } from '@/lib/http/client-ip';
import { readFormPost } from '@/app/_lib/form-post';
import { busyResponse, seeOther } from '@/app/_lib/responses';
import { signInByUid } from '@/app/_lib/sign-in-by-uid';
import { upstreamCookie, upstreamStateFrom } from '@/app/_lib/upstream-cookie';

export const dynamic = 'force-dynamic';

/**
 * POST /upstream/link/confirm — proof that the existing account is the person's: its password
 * (with the password sign-in's lockout per email and IP), or for an account without one, the
 * code mailed to its address (`code`). Then the identity is linked and the person signed in
 * with both methods (amr pwd or otp, and fed).
 */
export async function POST(request: Request) {
  const form = await readFormPost(request);
  if (form instanceof Response) return form;
  const state = upstreamStateFrom(request.headers.get('cookie'));
  const login = state ? await getServices().upstream.logins.find(state) : null;
  if (!state || !login?.linkAccountId || !login.subject || login.expiresAt <= new Date()) return seeOther('/upstream/link');
  const password = form.get('password');
  const code = form.get('code');
  const byCode = typeof code === 'string';
  const secret = byCode ? code : password;
  if (typeof secret !== 'string' || secret.trim().length === 0 || secret.length > 1024) return seeOther(`/upstream/link?error=signin.invalid_input${byCode ? '&sent=1' : ''}`);
  const identity = { accountId: login.linkAccountId, provider: login.provider, subject: login.subject, email: login.email, ip: clientIpFrom(request.headers) };
  try {
    const deps = getServices().upstreamSignIn;
    const linked = byCode
      ? await linkAfterEmailCode({ ...deps, emailCode: getServices().emailCodeSignIn }, { ...identity, codeScope: getServices().upstream.linkCodeScope(state), code: secret })
      : await linkAfterPassword({ ...deps, password: getServices().passwordSignIn }, { ...identity, password: secret });
    await getServices().upstream.logins.remove(state);
    return await signInByUid(request, login.interactionUid, linked.account, { acr: linked.acr, amr: linked.amr }, upstreamCookie(null));
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === 'server.busy') return busyResponse(request);
    if (e.code === 'signin.account_disabled' || e.code === 'signin.expired' || e.code === 'signup.interaction_expired') {
      await getServices().upstream.logins.remove(state);
      return seeOther(`/interaction/${encodeURIComponent(login.interactionUid)}?error=${e.code === 'signin.account_disabled' ? e.code : 'signin.expired'}`, upstreamCookie(null));
    }
    const query = new URLSearchParams({ error: e.code });
    if (byCode) query.set('sent', '1');
    for (const [k, v] of Object.entries(e.details ?? {})) if (k !== 'retryAfterSeconds') query.set(k, String(v));
    return seeOther(`/upstream/link?${query.toString()}`);
  }
}
