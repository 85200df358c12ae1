import { z } from 'zod';

/**
 * Social sign-in providers (issue 4 §2): `social_providers` of idp.config.yaml, each an upstream
 * OpenID Connect provider that regions list by id in `signin_methods`. Rules:
 * 1. a preset (google, line) supplies the issuer, scopes, client authentication and how far the
 *    email claim is trusted; every field may be overridden (a test or private issuer);
 * 2. `generic` has no defaults: `issuer` is required;
 * 3. a provider without `client_id` is not configured: the sign-in page hides its button and
 *    `config check` says so (credentials come from the environment through `${VAR:-}`);
 * 4. only https issuers, except loopback ones (a provider started by a test on this machine).
 */

export const SOCIAL_PRESETS = {
  google: {
    issuer: 'https://accounts.google.com',
    scopes: ['openid', 'email', 'profile'],
    token_endpoint_auth_method: 'client_secret_basic',
    // Google sends email_verified.
    trust_email: false,
  },
  line: {
    issuer: 'https://access.line.me',
    scopes: ['openid', 'profile', 'email'],
    // LINE's token endpoint takes the channel secret in the body only.
    token_endpoint_auth_method: 'client_secret_post',
    // LINE sends no email_verified; it only shares addresses its users verified.
    trust_email: true,
  },
} as const;

export type SocialPreset = keyof typeof SOCIAL_PRESETS | 'generic';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isAllowedIssuerUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

export const socialProviderSchema = z
  .strictObject({
    // The id regions list in signin_methods, and the path of its callback (/upstream/<id>/callback).
    id: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, _ and -'),
    // Defaults for the rest: google, line, or generic (none).
    preset: z.enum(['google', 'line', 'generic']).default('generic'),
    // The provider's issuer; discovery is fetched from <issuer>/.well-known/openid-configuration.
    issuer: z.string().refine(isAllowedIssuerUrl, 'must be an https URL (http only for localhost)').optional(),
    // Our client registration at the provider; empty = not configured (button hidden).
    client_id: z.string().default(''),
    client_secret: z.string().default(''),
    scopes: z.array(z.string().min(1)).min(1).optional(),
    token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
    // Treat the email claim as verified without an email_verified claim (only for providers that
    // share verified addresses only); a wrong `true` would let anyone claim any address.
    trust_email: z.boolean().optional(),
  })
  .transform((p) => {
    const preset = p.preset === 'generic' ? null : SOCIAL_PRESETS[p.preset];
    return {
      id: p.id,
      preset: p.preset as SocialPreset,
      issuer: p.issuer ?? preset?.issuer ?? '',
      clientId: p.client_id,
      clientSecret: p.client_secret,
      scopes: p.scopes ?? [...(preset?.scopes ?? ['openid', 'email', 'profile'])],
      tokenEndpointAuthMethod: p.token_endpoint_auth_method ?? preset?.token_endpoint_auth_method ?? 'client_secret_basic',
      trustEmail: p.trust_email ?? preset?.trust_email ?? false,
    };
  })
  .superRefine((p, ctx) => {
    if (!p.issuer) ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'required for a generic provider' });
    if (!p.scopes.includes('openid')) ctx.addIssue({ code: 'custom', path: ['scopes'], message: 'must include openid' });
  });

export type SocialProviderConfig = z.output<typeof socialProviderSchema>;

export const socialProvidersSchema = z
  .array(socialProviderSchema)
  .default([])
  .superRefine((providers, ctx) => {
    const seen = new Set<string>();
    providers.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate provider id "${p.id}"` });
      if (p.id === 'password' || p.id === 'email_code') ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${p.id}" is a built-in sign-in method` });
      seen.add(p.id);
    });
  });

export function isConfiguredSocialProvider(p: SocialProviderConfig): boolean {
  return p.clientId.length > 0;
}
