import { allowedResourceScopes } from './client-metadata';

/**
 * Who may introspect which token (oidc-provider's features.introspection.allowedPolicy; a
 * refusal answers `{"active": false}`, the same as for an unknown token). Rules, in order:
 * 1. the token was issued to the calling client → allowed (its refresh and access tokens);
 * 2. an access token (user or client credentials) whose audience is a resource server the
 *    calling client acts for (one listed in its `resources`) → allowed;
 * 3. anything else → not allowed: a third party never learns another client's `sub`, `scope`
 *    or `country_region_code`.
 */

type Caller = { clientId: string; [key: string]: unknown };
type IntrospectedToken = { kind: string; clientId?: string | undefined; aud?: unknown };

const ACCESS_TOKEN_KINDS = new Set(['AccessToken', 'ClientCredentials']);

function audiencesOf(token: IntrospectedToken): string[] {
  const { aud } = token;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

export function mayIntrospect(caller: Caller, token: IntrospectedToken): boolean {
  if (token.clientId === caller.clientId) return true;
  if (!ACCESS_TOKEN_KINDS.has(token.kind)) return false;
  return audiencesOf(token).some((aud) => allowedResourceScopes(caller, aud).length > 0);
}
