import { clientIpFrom } from '@/lib/infra/http/client-ip';
import { bridgeToProvider } from '@/lib/protocol/bridge';
import { getProvider } from '@/lib/protocol/provider';
import { isStaticEndpoint, serveStaticEndpoint } from '@/lib/protocol/static-endpoints';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** The only door into oidc-provider. */
async function handle(request: Request): Promise<Response> {
  const provider = await getProvider();
  if (isStaticEndpoint(request, '/oidc')) {
    const cached = await serveStaticEndpoint(provider, request);
    if (cached) return cached;
  }
  return bridgeToProvider(provider, request, clientIpFrom(request.headers));
}

export { handle as GET, handle as POST, handle as OPTIONS, handle as DELETE, handle as PUT, handle as HEAD };
