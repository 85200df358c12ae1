import type { KoaContextWithOIDC } from 'oidc-provider';
import { contentSecurityPolicy, transportHeaders } from '../../../security-headers.mjs';
import { getEnv } from '../../config/env';

/**
 * The provider's own answers (logout and error pages, form_post) get the nonce-less CSP and
 * HSTS through whichever door they leave by (server.mjs, or the Next.js route). Set before the
 * provider renders: its form_post page adds its inline script's hash to this CSP itself.
 */
export async function providerSecurityHeaders(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  ctx.set('content-security-policy', contentSecurityPolicy());
  for (const [name, value] of transportHeaders(getEnv().publicUrl.href)) ctx.set(name, value);
  await next();
}
