import { getEnv } from '@/lib/config/env';
import { bridgeToProvider } from '@/lib/protocol/bridge';
import { getServices } from '@/lib/composition/services';
import { providerMetadataPath, serveStaticEndpoint } from '@/lib/protocol/static-endpoints';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * RFC 8414 metadata for the issuer ${PUBLIC_URL}/oidc: the provider's own document. server.mjs
 * serves this path itself (lib/protocol/node-handler.ts); this route is the fallback door, as
 * app/oidc/[...path] is for /oidc/….
 */
export async function GET(): Promise<Response> {
  const provider = await getServices().provider();
  const url = `${getEnv().publicUrl.origin}${providerMetadataPath(new URL(provider.issuer).pathname)}`;
  return (await serveStaticEndpoint(provider, new Request(url))) ?? bridgeToProvider(provider, new Request(url), undefined);
}
