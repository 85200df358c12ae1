import type { PairwiseRuntime } from '../pairwise';

/**
 * What the token-exchange grant decided for the access token it is minting, attached to the
 * token object (never stored: oidc-provider persists only its own payload keys). Read back by
 * `extraTokenClaims` (which would otherwise overwrite `token.extra`) and by the JWT customizer
 * (which sets `sub`: oidc-provider would put the requesting client's view of the subject there).
 */
export type ExchangeIssuance = {
  /** The subject as the target resource server knows it (PPID, account id, or service client id). */
  sub: string;
  /** act, acr, amr, auth_time, country_region_code. */
  claims: Record<string, unknown>;
};

const ISSUANCE = Symbol.for('meridian.tokenExchange.issuance');

type Marked = { [ISSUANCE]?: ExchangeIssuance };

export function markExchangeIssuance(token: object, issuance: ExchangeIssuance): void {
  (token as Marked)[ISSUANCE] = issuance;
}

export function exchangeIssuanceOf(token: object): ExchangeIssuance | undefined {
  return (token as Marked)[ISSUANCE];
}

type AccessTokenLike = { accountId?: unknown; aud?: unknown };

/**
 * `sub` for a JWT access token (formats.customizers.jwt): the exchange's decision for exchanged
 * tokens; for other tokens of an account, the subject as the audience (resource server) knows
 * it; undefined to keep oidc-provider's value (client credentials: the client id).
 */
export async function accessTokenJwtSubject(token: object, pairwise: PairwiseRuntime): Promise<string | undefined> {
  const issued = exchangeIssuanceOf(token);
  if (issued) return issued.sub;
  const { accountId, aud } = token as AccessTokenLike;
  if (typeof accountId !== 'string' || !accountId || typeof aud !== 'string') return undefined;
  return pairwise.accessTokenSubject(accountId, aud);
}
