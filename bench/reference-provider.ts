/**
 * Reference B: a bare oidc-provider on a plain Node http server, no Next.js, no bridge, no
 * database on the request path (in-memory adapter; JWT access tokens are not stored anyway).
 * Same signing keys as the server under test (read from its database), same client and resource
 * server settings for client credentials: the library's own ceiling for the token endpoint.
 *
 * Started by bench/run.ts as a child process (`node --import tsx bench/reference-provider.ts`)
 * with DATABASE_URL pointing at the bench database and BENCH_RESOURCE set to the resource
 * indicator; prints one JSON line {port, pid, kid} when listening.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { createDb } from '../lib/infra/db/client';
import { loadSigningKeys } from '../lib/infra/keys/signing-key-store';

const MOUNT = '/oidc';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const resource = process.env.BENCH_RESOURCE;
  if (!databaseUrl || !resource) throw new Error('DATABASE_URL and BENCH_RESOURCE are required');

  const db = createDb(databaseUrl);
  const { privateJwks } = await loadSigningKeys(db);
  await db.$disconnect();

  // Listen first (the issuer needs the port), attach the request handler once the provider exists.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const provider = new Provider(`http://localhost:${port}${MOUNT}`, {
    clients: [
      {
        client_id: 'demo-service',
        client_secret: 'demo-service-secret-0123456789',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: privateJwks },
    clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? undefined,
        useGrantedResource: async () => false,
        getResourceServerInfo: async (_ctx: KoaContextWithOIDC, indicator: string) => ({
          scope: 'items:read',
          audience: indicator,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    ttl: {
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
    },
  });
  provider.on('server_error', (_ctx, error) => console.error('[reference] server_error', error));
  const callback = provider.callback();
  // Mounted at /oidc like the real server (what koa-mount does: strip the prefix).
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (!url.startsWith(MOUNT)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    (req as typeof req & { originalUrl: string }).originalUrl = url;
    req.url = url.slice(MOUNT.length) || '/';
    void callback(req, res);
  });
  process.stdout.write(`${JSON.stringify({ port, pid: process.pid, kid: privateJwks[0]?.kid, resource })}\n`);
  process.on('SIGTERM', () => process.exit(0));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
