import { z } from 'zod';
import { ACR_VALUES_SUPPORTED } from '../../domain/assurance/assurance-levels';

/**
 * `resource_servers[].endpoints`: what a token needs at each endpoint of a resource server,
 * enforced by lib/resource-server (first matching rule wins; a request no rule matches is
 * answered 404). Example:
 *
 *   endpoints:
 *     - { method: GET, path: /api/demo/items, scopes: [items:read] }
 *     - { method: GET, path: /api/demo/fintech/balance, regions: [JP], scopes: [fintech:read] }
 *     - { method: POST, path: /api/demo/fintech/transfers, regions: [JP], scopes: [fintech:write], acr: urn:meridian:aal2 }
 *     - { method: GET, path: /api/demo/fintech/statements, regions: [JP], scopes: [fintech:read], dpop: required }
 */
const httpMethod = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', '*']);

export const resourceServerEndpointSchema = z.strictObject({
  // One method, a list, or * for any.
  method: z.union([httpMethod, z.array(httpMethod).min(1)]),
  // The request path: literal segments, :name for one segment, a final * for any remainder.
  path: z
    .string()
    .regex(/^\/[^?#\s]*$/, 'must be an absolute path such as /api/demo/items')
    .refine((p) => !p.split('/').slice(0, -1).includes('*') && !/[^/]\*|\*[^/]/.test(p), '* is only allowed as the whole last segment'),
  // The user's country_region_code must be one of these; omitted: any region, and tokens without a user.
  regions: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as JP')).min(1).optional(),
  // Every one of these scopes must be in the token (each must be a scope of this resource server).
  scopes: z.array(z.string()).default([]),
  // Minimum assurance (urn:meridian:aal1 < urn:meridian:aal2 < urn:meridian:aal2:phr).
  acr: z.enum(ACR_VALUES_SUPPORTED as [string, ...string[]]).optional(),
  // The user must have authenticated at most this many seconds ago.
  max_age_seconds: z.number().int().nonnegative().optional(),
  // required: only DPoP-bound tokens with a valid proof (RFC 9449); omitted or optional: bearer tokens too.
  dpop: z.enum(['optional', 'required']).optional(),
});

export const resourceServerEndpointsSchema = z.array(resourceServerEndpointSchema).default([]);

export type ResourceServerEndpointConfig = z.infer<typeof resourceServerEndpointSchema>;

type Issue = { path: (string | number)[]; message: string };

/** Cross-checks against the resource server: its scopes, its regions, the known regions. */
export function checkResourceServerEndpoints(
  rs: { scopes: Record<string, string>; regions: string[]; endpoints: ResourceServerEndpointConfig[] },
  knownRegions: ReadonlySet<string>,
): Issue[] {
  const issues: Issue[] = [];
  rs.endpoints.forEach((e, i) => {
    e.scopes.forEach((s, j) => {
      if (!(s in rs.scopes)) issues.push({ path: ['endpoints', i, 'scopes', j], message: `unknown scope "${s}" (not in this resource server's scopes)` });
    });
    e.regions?.forEach((code, j) => {
      if (!knownRegions.has(code)) issues.push({ path: ['endpoints', i, 'regions', j], message: `unknown region "${code}"` });
      else if (!rs.regions.includes(code)) issues.push({ path: ['endpoints', i, 'regions', j], message: `region "${code}" is not one of this resource server's regions` });
    });
  });
  return issues;
}
