import { getServices } from '@/lib/composition/services';
import { isAppError } from '@/lib/domain/errors';
import { verifySignInCode } from '@/lib/domain/sign-in/email-code-sign-in';
import { clientIpFrom } from '@/lib/http/client-ip';
import { readFormPost } from '@/app/_lib/form-post';
import { seeOther } from '@/app/_lib/responses';
import { continueUnreadySignIn } from '@/app/_lib/sign-up-continuation';
import { signInEmailCookie } from '../../flash';

export const dynamic = 'force-dynamic';

/** POST /interaction/<uid>/email-code/verify — the code from the mail; 303 on into the authorization (or the missing sign-up steps). */
export async function POST(request: Request, { params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  const form = await readFormPost(request);
  if (form instanceof Response) return form;
  const base = `/interaction/${encodeURIComponent(uid)}`;
  const code = typeof form.get('code') === 'string' ? String(form.get('code')).slice(0, 16) : '';
  if (!code.trim()) return seeOther(`${base}/email-code?sent=1&error=signin.invalid_input`);
  try {
    const result = await verifySignInCode(getServices().emailCodeSignIn, { interactionUid: uid, code, ip: clientIpFrom(request.headers) });
    const clear = signInEmailCookie(uid, undefined);
    const unready = await continueUnreadySignIn(request, uid, { ...result.account, authMethods: result.amr }, clear);
    if (unready) return unready;
    const returnTo = await getServices().interactions.finish(uid, request.headers.get('cookie'), {
      login: { accountId: result.account.id, acr: result.acr, amr: result.amr, remember: true },
    });
    return seeOther(returnTo ?? `${base}?error=signin.expired`, clear);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === 'signin.account_disabled') return seeOther(`${base}?error=signin.account_disabled`);
    const query = new URLSearchParams({ error: e.code });
    // A wrong code keeps the code form; an expired or exhausted one too (it offers a new code).
    query.set('sent', '1');
    for (const [k, v] of Object.entries(e.details ?? {})) if (k !== 'retryAfterSeconds') query.set(k, String(v));
    return seeOther(`${base}/email-code?${query.toString()}`);
  }
}
