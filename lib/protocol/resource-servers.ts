import { errors, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import type { IdpConfig } from '../config/idp-config-schema';
import { allowedResourceScopes } from './client-metadata';

type Client = NonNullable<KoaContextWithOIDC['oidc']['client']>;

/**
 * Resource servers from config. A client gets tokens only for resource servers listed in its
 * `resources`, and only with the scopes listed there (the service permission registry).
 */
export function createResourceServerInfo(config: IdpConfig) {
  const byIdentifier = new Map(config.resource_servers.map((rs) => [rs.identifier, rs]));
  return async function getResourceServerInfo(_ctx: KoaContextWithOIDC, resourceIndicator: string, client: Client): Promise<ResourceServer> {
    const rs = byIdentifier.get(resourceIndicator);
    if (!rs) throw new errors.InvalidTarget('unknown resource server');
    const allowed = allowedResourceScopes(client as unknown as { clientId: string }, resourceIndicator);
    if (allowed.length === 0) throw new errors.InvalidTarget('client is not allowed to access this resource server');
    return {
      scope: allowed.filter((s) => s in rs.scopes).join(' '),
      audience: rs.identifier,
      accessTokenTTL: rs.access_token_ttl_seconds,
      accessTokenFormat: 'jwt',
      jwt: { sign: { alg: 'ES256' } },
    };
  };
}
