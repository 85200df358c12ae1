import { z } from 'zod';
import { checkTokenExchangeConfig } from './schema/token-exchange-checks';
import {
  TOKEN_EXCHANGE_GRANT_TYPE,
  ppidConversionSchema,
  sectorIdentifierSchema,
  tokenExchangePolicySchema,
  trustedIssuerSchema,
} from './schema/token-exchange-schema';
import { checkResourceServerEndpoints, resourceServerEndpointsSchema } from './schema/resource-server-endpoints';
import { checkRegionPolicy, regionPolicyShape, signUpLimitsSchema } from './schema/region-policy-schema';
import { isLocalSignInMethod } from './schema/sign-in-methods';
import { socialProvidersSchema } from './schema/social-providers';
import { checkClientAuth, clientAuthShape } from './schema/client-auth';
import { internalNetworksSchema } from './schema/internal-networks';

export const SUPPORTED_LOCALES = ['en', 'ja', 'zh-TW'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

const regionCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as JP');
const locale = z.enum(SUPPORTED_LOCALES);

const regionSchema = z.strictObject({
  code: regionCode,
  default_locale: locale,
  locales: z.array(locale).min(1),
  // Sign-up steps, minimum age, documents, marketing consent, KYC, phone codes (schema/region-policy-schema.ts).
  ...regionPolicyShape,
});

const resourceServerSchema = z.strictObject({
  // The resource indicator (RFC 8707) and the `aud` of its access tokens.
  identifier: z.url(),
  name: z.string().min(1),
  scopes: z.record(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/), z.string()),
  access_token_ttl_seconds: z.number().int().positive().max(86_400).default(600),
  regions: z.array(regionCode).min(1),
  // Per-endpoint rules (method + path → regions, scopes, acr) for lib/resource-server.
  endpoints: resourceServerEndpointsSchema,
  // `sub` in its access tokens: the account id (public) or a pairwise id for its sector.
  subject_type: z.enum(['public', 'pairwise']).default('public'),
  // The sector of its pairwise ids; default: the identifier's host.
  sector_identifier: sectorIdentifierSchema.optional(),
});

const clientSchema = z.strictObject({
  client_id: z.string().min(1),
  // RFC 7591 §2: optional; screens then show the client_id.
  client_name: z.string().min(1).optional(),
  client_secret: z.string().min(16).optional(),
  redirect_uris: z.array(z.string()).default([]),
  post_logout_redirect_uris: z.array(z.string()).default([]),
  // RFC 7591 §2: default [authorization_code].
  grant_types: z.array(z.enum(['authorization_code', 'refresh_token', 'client_credentials', TOKEN_EXCHANGE_GRANT_TYPE])).min(1).default(['authorization_code']),
  response_types: z.array(z.literal('code')).default(['code']),
  // Authentication at the token endpoint, its keys, and the ID token algorithm (schema/client-auth.ts).
  ...clientAuthShape,
  application_type: z.enum(['web', 'native']).default('web'),
  subject_type: z.enum(['public', 'pairwise']).default('public'),
  // Ours: the sector of a pairwise client's ids (a host); default: the host of its redirect_uris.
  sector_identifier: sectorIdentifierSchema.optional(),
  backchannel_logout_uri: z.string().optional(),
  scope: z.string().optional(),
  // Ours: first-party clients skip the consent screen.
  first_party: z.boolean().default(false),
  supported_regions: z.array(regionCode).min(1),
  // Resource servers this client may request tokens for, with the scopes allowed on each.
  resources: z.record(z.url(), z.array(z.string())).default({}),
  // Ours: what this client may do with the token-exchange grant (RFC 8693).
  token_exchange: tokenExchangePolicySchema.optional(),
});

const lockoutSchema = z.strictObject({
  max_failures: z.number().int().positive().default(5),
  window_seconds: z.number().int().positive().default(900),
  base_lockout_seconds: z.number().int().positive().default(60),
  max_lockout_seconds: z.number().int().positive().default(3600),
  ip_max_failures: z.number().int().positive().default(50),
});

const policiesSchema = z.strictObject({
  session_ttl_seconds: z.number().int().positive().default(14 * 86_400),
  refresh_token_ttl_seconds: z.number().int().positive().default(30 * 86_400),
  id_token_ttl_seconds: z.number().int().positive().default(3600),
  // Lockout with back-off after failed sign-ins (per email, per IP) and failed client
  // authentications (per client id, per IP; lib/protocol/client-auth-throttle.ts).
  sign_in_lockout: lockoutSchema.default(lockoutSchema.parse({})),
  // Sign-up flow lifetimes and rate limits (email codes per flow, address and IP).
  signup: signUpLimitsSchema.default(signUpLimitsSchema.parse({})),
});

export const idpConfigSchema = z
  .strictObject({
    regions: z.array(regionSchema).min(1),
    resource_servers: z.array(resourceServerSchema).default([]),
    clients: z.array(clientSchema).default([]),
    policies: policiesSchema.default(policiesSchema.parse({})),
    // External issuers whose JWTs may be exchanged for our access tokens (CI workload identity).
    trusted_issuers: z.array(trustedIssuerSchema).default([]),
    // Who may translate whose pairwise identifiers (the PPID conversion API).
    ppid_conversion: ppidConversionSchema.optional(),
    // Upstream OpenID providers for social sign-in, by the id regions list in signin_methods.
    social_providers: socialProvidersSchema,
    // Loopback/private networks and hosts that back-channel requests may reach (schema/internal-networks.ts).
    internal_networks: internalNetworksSchema,
  })
  .superRefine((config, ctx) => {
    const regions = new Set(config.regions.map((r) => r.code));
    const resources = new Map(config.resource_servers.map((r) => [r.identifier, r]));
    config.regions.forEach((r, i) => {
      if (!r.locales.includes(r.default_locale)) {
        ctx.addIssue({ code: 'custom', path: ['regions', i, 'default_locale'], message: 'must be one of the region\'s locales' });
      }
      checkRegionPolicy(r).forEach((issue) => ctx.addIssue({ code: 'custom', path: ['regions', i, ...issue.path], message: issue.message }));
      r.signin_methods.forEach((m, j) => {
        if (!isLocalSignInMethod(m) && !config.social_providers.some((p) => p.id === m)) {
          ctx.addIssue({ code: 'custom', path: ['regions', i, 'signin_methods', j], message: `"${m}" is not password, email_code or a provider of social_providers` });
        }
      });
    });
    const seen = new Set<string>();
    config.clients.forEach((c, i) => {
      const at = (...p: (string | number)[]) => ['clients', i, ...p];
      if (seen.has(c.client_id)) ctx.addIssue({ code: 'custom', path: at('client_id'), message: `duplicate client_id "${c.client_id}"` });
      seen.add(c.client_id);
      c.supported_regions.forEach((code, j) => {
        if (!regions.has(code)) ctx.addIssue({ code: 'custom', path: at('supported_regions', j), message: `unknown region "${code}"` });
      });
      const isPublic = c.token_endpoint_auth_method === 'none';
      checkClientAuth(c).forEach((issue) => ctx.addIssue({ code: 'custom', path: at(issue.path), message: issue.message }));
      if (isPublic && c.grant_types.includes('client_credentials')) {
        ctx.addIssue({ code: 'custom', path: at('grant_types'), message: 'client_credentials needs a confidential client' });
      }
      if (c.grant_types.includes('authorization_code') && c.redirect_uris.length === 0) {
        ctx.addIssue({ code: 'custom', path: at('redirect_uris'), message: 'required for authorization_code' });
      }
      for (const [identifier, scopes] of Object.entries(c.resources)) {
        const rs = resources.get(identifier);
        if (!rs) {
          ctx.addIssue({ code: 'custom', path: at('resources', identifier), message: 'unknown resource server' });
          continue;
        }
        for (const s of scopes) {
          if (!(s in rs.scopes)) ctx.addIssue({ code: 'custom', path: at('resources', identifier), message: `unknown scope "${s}"` });
        }
      }
    });
    config.resource_servers.forEach((rs, i) =>
      rs.regions.forEach((code, j) => {
        if (!regions.has(code)) ctx.addIssue({ code: 'custom', path: ['resource_servers', i, 'regions', j], message: `unknown region "${code}"` });
      }),
    );
    config.resource_servers.forEach((rs, i) =>
      checkResourceServerEndpoints(rs, regions).forEach((issue) => ctx.addIssue({ code: 'custom', path: ['resource_servers', i, ...issue.path], message: issue.message })),
    );
    checkTokenExchangeConfig(config, ctx);
  });

export type IdpConfig = z.infer<typeof idpConfigSchema>;
export type ClientConfig = IdpConfig['clients'][number];
export type ResourceServerConfig = IdpConfig['resource_servers'][number];
export type RegionConfig = IdpConfig['regions'][number];
