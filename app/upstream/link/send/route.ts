import { getServices } from '@/lib/composition/services';
import { isAppError } from '@/lib/domain/errors';
import { requestSignInCode } from '@/lib/domain/sign-in/email-code-sign-in';
import { clientIpFrom } from '@/lib/http/client-ip';
import { readFormPost } from '@/app/_lib/form-post';
import { seeOther } from '@/app/_lib/responses';
import { upstreamStateFrom } from '@/app/_lib/upstream-cookie';

export const dynamic = 'force-dynamic';

/** POST /upstream/link/send — mails a code to the existing (password-less) account the identity would join. */
export async function POST(request: Request) {
  const refused = await readFormPost(request);
  if (refused instanceof Response) return refused;
  const state = upstreamStateFrom(request.headers.get('cookie'));
  const login = state ? await getServices().upstream.logins.find(state) : null;
  const account = login?.linkAccountId && login.expiresAt > new Date() ? await getServices().accounts.findById(login.linkAccountId) : null;
  if (!state || !login || !account) return seeOther('/upstream/link');
  try {
    await requestSignInCode(getServices().emailCodeSignIn, { interactionUid: getServices().upstream.linkCodeScope(state), email: account.email, locale: login.locale, ip: clientIpFrom(request.headers) });
  } catch (e) {
    if (!isAppError(e)) throw e;
    const query = new URLSearchParams({ error: e.code, sent: e.code === 'signin.code_resend_wait' ? '1' : '0' });
    for (const [k, v] of Object.entries(e.details ?? {})) if (k !== 'retryAfterSeconds') query.set(k, String(v));
    return seeOther(`/upstream/link?${query.toString()}`);
  }
  return seeOther('/upstream/link?sent=1');
}
