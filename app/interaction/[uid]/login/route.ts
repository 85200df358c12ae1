import { z } from 'zod';
import { isAppError } from '@/lib/domain/errors';
import { signInWithPassword } from '@/lib/domain/sign-in/password-sign-in';
import { clientIpFrom } from '@/lib/infra/http/client-ip';
import { getPasswordHasher } from '@/lib/infra/crypto/argon2-password-hasher';
import { getPasswordSignInDeps } from '@/lib/infra/sign-in-deps';
import { finishInteraction } from '@/lib/protocol/interactions';
import { readFormPost } from '../../../_lib/form-post';
import { busyResponse, seeOther } from '../../../_lib/responses';
import { continueUnreadySignIn } from '../../../_lib/sign-up-continuation';
import { signInEmailCookie } from '../flash';

export const dynamic = 'force-dynamic';

const signInForm = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

/** POST /interaction/:uid/login — a plain form post (works without JavaScript), answered 303. */
export async function POST(request: Request, { params }: { params: Promise<{ uid: string }> }) {
  // Shed load first: over the hashing cap, a 503 must cost less than the work it refuses.
  if (getPasswordHasher().isSaturated()) return busyResponse(request);
  const { uid } = await params;
  const form = await readFormPost(request);
  if (form instanceof Response) return form;
  const parsed = signInForm.safeParse({ email: form.get('email'), password: form.get('password') });
  const page = `/interaction/${encodeURIComponent(uid)}`;
  const typedEmail = typeof form.get('email') === 'string' ? String(form.get('email')).slice(0, 320) : undefined;
  if (!parsed.success) return seeOther(`${page}?error=signin.invalid_input`, signInEmailCookie(uid, typedEmail));

  try {
    const result = await signInWithPassword(getPasswordSignInDeps(), { ...parsed.data, ip: clientIpFrom(request.headers) });
    // Tokens only for ready accounts: missing sign-up steps first (issue 3, readiness).
    const unready = await continueUnreadySignIn(request, uid, result.account, signInEmailCookie(uid, undefined));
    if (unready) return unready;
    const returnTo = await finishInteraction(uid, request.headers.get('cookie'), {
      login: { accountId: result.account.id, acr: result.acr, amr: result.amr, remember: true },
    });
    if (!returnTo) return seeOther(`${page}?error=signin.expired`, signInEmailCookie(uid, undefined));
    return seeOther(returnTo, signInEmailCookie(uid, undefined));
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === 'server.busy') return busyResponse(request);
    const minutes = e.details?.minutes ? `&minutes=${e.details.minutes}` : '';
    return seeOther(`${page}?error=${encodeURIComponent(e.code)}${minutes}`, signInEmailCookie(uid, parsed.data.email));
  }
}
