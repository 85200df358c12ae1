import { forbiddenResponse, seeOther } from '@/app/_lib/responses';
import { getEnv } from '@/lib/config/env';
import { getIdpConfig } from '@/lib/config/idp-config';
import { isSameOriginPost } from '@/lib/infra/http/same-origin';
import { SIGNIN_REGION_COOKIE } from '../flash';

export const dynamic = 'force-dynamic';

const ONE_YEAR_SECONDS = 365 * 86_400;

/**
 * POST /interaction/<uid>/region — the region picker of the sign-in page. Remembers the chosen
 * region (a configured region code; anything else is ignored) and shows the page again, which
 * then offers that region's sign-in methods (lib/domain/regions/sign-in-region.ts).
 */
export async function POST(request: Request, { params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  if (!isSameOriginPost(request)) return forbiddenResponse(request);
  const back = `/interaction/${encodeURIComponent(uid)}`;
  const form = await request.formData();
  const region = String(form.get('region') ?? '');
  if (!getIdpConfig().regions.some((r) => r.code === region)) return seeOther(back);
  const secure = getEnv().publicUrl.protocol === 'https:' ? '; Secure' : '';
  return seeOther(back, `${SIGNIN_REGION_COOKIE}=${region}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; HttpOnly; SameSite=Lax${secure}`);
}
