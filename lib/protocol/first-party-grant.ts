import type { Grant, KoaContextWithOIDC } from 'oidc-provider';
import { isFirstParty } from './client-metadata';

/**
 * First-party clients never see a consent screen: their grant is extended to whatever they
 * request (within what the client and resource servers allow). Third-party clients keep
 * the provider's default and go through the consent prompt.
 */
export async function loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const client = oidc.client;
  if (!client || !oidc.session) return undefined;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(client.clientId);
  const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (!isFirstParty(client as unknown as { clientId: string })) return existing;
  const accountId = oidc.session.accountId;
  if (!accountId) return existing;
  const grant = existing && existing.accountId === accountId ? existing : new oidc.provider.Grant({ clientId: client.clientId, accountId });
  const scopes = [...(oidc.requestParamOIDCScopes ?? [])].join(' ');
  if (scopes) grant.addOIDCScope(scopes);
  const claims = [...(oidc.requestParamClaims ?? [])];
  if (claims.length) grant.addOIDCClaims(claims);
  for (const [indicator, rs] of Object.entries(oidc.resourceServers ?? {})) {
    if (rs.scope) grant.addResourceScope(indicator, rs.scope);
  }
  await grant.save();
  return grant;
}
