import { clientIpFrom } from '@/lib/infra/http/client-ip';
import { getServices } from '@/lib/composition/services';
import { bridgeToProvider } from '@/lib/protocol/bridge';
import { isStaticEndpoint, serveStaticEndpoint } from '@/lib/protocol/static-endpoints';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * The fallback door into oidc-provider. server.mjs normally serves /oidc/… itself with
 * lib/protocol/node-handler.ts (same provider, no Web Request round trip); requests reach this
 * route only before instrumentation.ts has published that handler (dev mode) or when the app is
 * served by something other than server.mjs.
 */
async function handle(request: Request): Promise<Response> {
  const provider = await getServices().provider();
  if (isStaticEndpoint(request, '/oidc')) {
    const cached = await serveStaticEndpoint(provider, request);
    if (cached) return cached;
  }
  return bridgeToProvider(provider, request, clientIpFrom(request.headers));
}

export { handle as GET, handle as POST, handle as OPTIONS, handle as DELETE, handle as PUT, handle as HEAD };
