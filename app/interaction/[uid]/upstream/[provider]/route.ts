import { seeOther } from '@/app/_lib/responses';

export const dynamic = 'force-dynamic';

/**
 * POST /interaction/<uid>/upstream/<provider> — where the social sign-in buttons point. The
 * upstream OpenID Connect connector (issue 4 §2) is not built yet: back to the sign-in page with
 * a message asking for another method.
 */
export async function POST(_request: Request, { params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  return seeOther(`/interaction/${encodeURIComponent(uid)}?error=signin.method_unavailable`);
}
