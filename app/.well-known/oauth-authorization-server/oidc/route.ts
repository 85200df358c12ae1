import { respondWithNodeHandler } from '@/lib/protocol/bridge';
import { handleOidcNodeRequest } from '@/lib/protocol/node-handler';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * RFC 8414 metadata for the issuer ${PUBLIC_URL}/oidc: the provider's own document, through the
 * one door (lib/protocol/node-handler.ts), as app/oidc/[...path] does for /oidc/….
 */
export function GET(request: Request): Promise<Response> {
  return respondWithNodeHandler(request, handleOidcNodeRequest);
}
