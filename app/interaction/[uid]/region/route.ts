import { readFormPost } from '@/app/_lib/form-post';
import { seeOther } from '@/app/_lib/responses';
import { getIdpConfig } from '@/lib/config/idp-config';
import { secureAttribute } from '@/lib/http/cookie-names';
import { signInRegionCookieName } from '../flash';

export const dynamic = 'force-dynamic';

const ONE_YEAR_SECONDS = 365 * 86_400;

/**
 * POST /interaction/<uid>/region — the region picker of the sign-in page. Remembers the chosen
 * region (a configured region code; anything else is ignored) and shows the page again, which
 * then offers that region's sign-in methods (lib/domain/regions/sign-in-region.ts).
 */
export async function POST(request: Request, { params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  const back = `/interaction/${encodeURIComponent(uid)}`;
  const form = await readFormPost(request);
  if (form instanceof Response) return form;
  const region = String(form.get('region') ?? '');
  if (!getIdpConfig().regions.some((r) => r.code === region)) return seeOther(back);
  return seeOther(back, `${signInRegionCookieName()}=${region}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; HttpOnly; SameSite=Lax${secureAttribute()}`);
}
