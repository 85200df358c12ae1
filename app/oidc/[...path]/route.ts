import { respondWithNodeHandler } from '@/lib/protocol/bridge';
import { handleOidcNodeRequest } from '@/lib/protocol/node-handler';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * How the app hosts oidc-provider: every /oidc/… request goes to the one handler,
 * lib/protocol/node-handler.ts. server.mjs reaches that same handler before Next's router.
 */
function handle(request: Request): Promise<Response> {
  return respondWithNodeHandler(request, handleOidcNodeRequest);
}

export { handle as GET, handle as POST, handle as OPTIONS, handle as DELETE, handle as PUT, handle as HEAD };
