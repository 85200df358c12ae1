import { errors } from 'oidc-provider';
import { TOKEN_TYPE_URNS, type PresentedTokenKind } from '../../config/schema/token-exchange-schema';

/**
 * RFC 8693 §2.1 request parameters, checked before any token is looked at:
 * 1. subject_token and subject_token_type are required; the type is one we accept;
 * 2. actor_token and actor_token_type come together or not at all;
 * 3. requested_token_type, when present, is the access token type (all we issue);
 * 4. exactly one target: `audience` and/or `resource` (repeatable), all naming the same value;
 *    a `resource` is an absolute URI without fragment (RFC 8707).
 * Parameter errors are invalid_request; a missing or multiple target is invalid_target.
 */

export const TOKEN_EXCHANGE_PARAMETERS = [
  'audience',
  'resource',
  'scope',
  'requested_token_type',
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
] as const;

/** Parameters that may repeat (RFC 8693 allows several audience/resource values). */
export const TOKEN_EXCHANGE_REPEATABLE = ['audience', 'resource'] as const;

export type TokenExchangeParams = {
  subjectToken: string;
  subjectKind: PresentedTokenKind;
  actorToken: string | undefined;
  actorKind: PresentedTokenKind | undefined;
  target: string;
  requestedScopes: string[] | undefined;
};

const KIND_BY_URN = new Map<string, PresentedTokenKind>(Object.entries(TOKEN_TYPE_URNS).map(([kind, urn]) => [urn, kind as PresentedTokenKind]));

function single(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new errors.InvalidRequest(`${name} must be a single value`);
  return value;
}

function many(params: Record<string, unknown>, name: string): string[] {
  const value = params[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

export function parseTokenExchangeParams(params: Record<string, unknown>): TokenExchangeParams {
  const subjectToken = single(params, 'subject_token');
  if (!subjectToken) throw new errors.InvalidRequest("missing required parameter 'subject_token'");
  const subjectType = single(params, 'subject_token_type');
  if (!subjectType) throw new errors.InvalidRequest("missing required parameter 'subject_token_type'");
  const subjectKind = KIND_BY_URN.get(subjectType);
  if (!subjectKind) throw new errors.InvalidRequest('unsupported subject_token_type');

  const actorToken = single(params, 'actor_token');
  const actorType = single(params, 'actor_token_type');
  if ((actorToken === undefined) !== (actorType === undefined)) {
    throw new errors.InvalidRequest('actor_token and actor_token_type must be sent together');
  }
  const actorKind = actorType === undefined ? undefined : KIND_BY_URN.get(actorType);
  if (actorType !== undefined && !actorKind) throw new errors.InvalidRequest('unsupported actor_token_type');

  const requested = single(params, 'requested_token_type');
  if (requested !== undefined && requested !== TOKEN_TYPE_URNS.access_token) throw new errors.InvalidRequest('unsupported requested_token_type');

  const resources = many(params, 'resource');
  for (const r of resources) {
    let url: URL | undefined;
    try {
      url = new URL(r);
    } catch {
      url = undefined;
    }
    if (!url || url.hash || r.includes('#')) throw new errors.InvalidTarget('resource must be an absolute URI without a fragment');
  }
  const targets = new Set([...many(params, 'audience'), ...resources]);
  if (targets.size === 0) throw new errors.InvalidTarget('audience or resource is required');
  if (targets.size > 1) throw new errors.InvalidTarget('only one audience or resource can be requested');
  const [target] = targets;

  const scope = single(params, 'scope');
  const requestedScopes = scope === undefined ? undefined : [...new Set(scope.split(' ').filter(Boolean))];

  return { subjectToken, subjectKind, actorToken, actorKind, target: target!, requestedScopes };
}
