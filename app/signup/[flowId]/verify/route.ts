import { clientIpFrom } from '@/lib/http/client-ip';
import { getServices } from '@/lib/composition/services';
import { seeOther } from '../../../_lib/responses';
import { appErrorOf } from '../../../_lib/sign-up-http';

export const dynamic = 'force-dynamic';

/**
 * GET /signup/:flowId/verify?code=123456 — the link in the code mail. In the browser that started
 * the flow (its flow cookie), it submits the code like the form would; anywhere else it does
 * nothing (a mail scanner fetching links cannot use up the code). Then 303 to the flow's page.
 */
export async function GET(request: Request, { params }: { params: Promise<{ flowId: string }> }) {
  const { flowId } = await params;
  const code = new URL(request.url).searchParams.get('code') ?? '';
  const page = `/signup/${encodeURIComponent(flowId)}`;
  if (!/^\d{6}$/.test(code)) return seeOther(page);
  try {
    const result = await getServices().signUp.submitForm(flowId, { step: 'email_code', code }, { ip: clientIpFrom(request.headers), cookieHeader: request.headers.get('cookie') });
    return seeOther(result.state === 'complete' && result.continueTo ? result.continueTo : page);
  } catch (e) {
    if (!appErrorOf(e)) throw e;
    return seeOther(page);
  }
}
