import { isSameOriginPost } from '@/lib/infra/http/same-origin';
import { findInteraction, finishInteraction, grantMissingConsent } from '@/lib/protocol/interactions';
import { forbiddenResponse, seeOther } from '../../../_lib/responses';

export const dynamic = 'force-dynamic';

/** POST /interaction/:uid/consent — decision=allow grants what was asked; anything else denies. */
export async function POST(request: Request, { params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  if (!isSameOriginPost(request)) return forbiddenResponse(request);
  const cookieHeader = request.headers.get('cookie');
  const page = `/interaction/${encodeURIComponent(uid)}`;
  const view = await findInteraction(uid, cookieHeader);
  if (!view || view.prompt.name !== 'consent') return seeOther(page);
  const decision = (await request.formData()).get('decision');
  const result =
    decision === 'allow'
      ? { consent: { grantId: await grantMissingConsent(view) } }
      : { error: 'access_denied', error_description: 'End-User denied the request' };
  const returnTo = await finishInteraction(uid, cookieHeader, result);
  return seeOther(returnTo ?? page);
}
