import type { ClientMetadata } from 'oidc-provider';
import type { ClientConfig } from '../config/idp-config-schema';
import { clientSector } from '../config/schema/subject-namespaces';

/** Our client metadata beyond RFC 7591, carried on the provider's Client objects. */
export const EXTRA_CLIENT_METADATA = ['first_party', 'supported_regions', 'resources'] as const;

export function toClientMetadata(c: ClientConfig): ClientMetadata {
  const metadata: ClientMetadata = {
    client_id: c.client_id,
    redirect_uris: c.redirect_uris,
    post_logout_redirect_uris: c.post_logout_redirect_uris,
    grant_types: c.grant_types,
    // A client without authorization_code (e.g. client_credentials only) has no response types;
    // oidc-provider would otherwise demand redirect_uris for it.
    response_types: c.grant_types.includes('authorization_code') ? c.response_types : [],
    token_endpoint_auth_method: c.token_endpoint_auth_method,
    application_type: c.application_type,
    subject_type: c.subject_type,
    first_party: c.first_party,
    supported_regions: c.supported_regions,
    resources: c.resources,
  };
  if (c.client_name) metadata.client_name = c.client_name;
  if (c.client_secret) metadata.client_secret = c.client_secret;
  if (c.backchannel_logout_uri) metadata.backchannel_logout_uri = c.backchannel_logout_uri;
  if (c.scope) metadata.scope = c.scope;
  if (c.jwks) metadata.jwks = c.jwks as ClientMetadata['jwks'];
  if (c.jwks_uri) metadata.jwks_uri = c.jwks_uri;
  if (c.token_endpoint_auth_signing_alg) metadata.token_endpoint_auth_signing_alg = c.token_endpoint_auth_signing_alg;
  if (c.id_token_signed_response_alg) metadata.id_token_signed_response_alg = c.id_token_signed_response_alg;
  // A pairwise client's sector (from config) in the form oidc-provider wants; never fetched
  // (configuration.ts: sectorIdentifierUriValidate returns false).
  const sector = c.subject_type === 'pairwise' ? clientSector(c) : undefined;
  if (sector?.ok) metadata.sector_identifier_uri = `https://${sector.sector}/`;
  return metadata;
}

type ClientLike = { clientId: string; [key: string]: unknown };

export function isFirstParty(client: ClientLike | undefined): boolean {
  return client?.['first_party'] === true;
}

export function allowedResourceScopes(client: ClientLike, resource: string): string[] {
  const resources = client['resources'] as Record<string, string[]> | undefined;
  return resources?.[resource] ?? [];
}
