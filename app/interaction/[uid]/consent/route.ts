import { getServices } from '@/lib/composition/services';
import { readFormPost } from '../../../_lib/form-post';
import { seeOther } from '../../../_lib/responses';

export const dynamic = 'force-dynamic';

/** POST /interaction/:uid/consent — decision=allow grants what was asked; anything else denies. */
export async function POST(request: Request, { params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  const form = await readFormPost(request);
  if (form instanceof Response) return form;
  const cookieHeader = request.headers.get('cookie');
  const page = `/interaction/${encodeURIComponent(uid)}`;
  const view = await getServices().interactions.find(uid, cookieHeader);
  if (!view || view.prompt.name !== 'consent') return seeOther(page);
  const decision = form.get('decision');
  const result =
    decision === 'allow'
      ? { consent: { grantId: await getServices().interactions.grantMissingConsent(view) } }
      : { error: 'access_denied', error_description: 'End-User denied the request' };
  const returnTo = await getServices().interactions.finish(uid, cookieHeader, result);
  return seeOther(returnTo ?? page);
}
