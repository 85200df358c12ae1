/**
 * The answers a resource server gives when it refuses a request, as data. Each is JSON
 * `{ error, error_description }` with the status below; the ones a client can act on carry an
 * RFC 6750 `WWW-Authenticate: Bearer` challenge (RFC 9470 for step-up), or a `DPoP` challenge
 * with `algs="…"` (RFC 9449 §7.1) when the request used DPoP, the token is DPoP-bound or the
 * endpoint requires DPoP:
 *
 * | error                            | status | challenge                                        |
 * |----------------------------------|--------|--------------------------------------------------|
 * | missing_token                    | 401    | `Bearer realm="…"` (no error: RFC 6750 §3.1)      |
 * | invalid_request                  | 400    | `error="invalid_request"`                         |
 * | invalid_token                    | 401    | `error="invalid_token"`                           |
 * | invalid_dpop_proof               | 401    | `DPoP error="invalid_dpop_proof", algs="…"`       |
 * | insufficient_scope               | 403    | `error="insufficient_scope", scope="…"`           |
 * | region_not_supported             | 403    | `error="region_not_supported"`                    |
 * | insufficient_user_authentication | 401    | `error="insufficient_user_authentication", acr_values="…"[, max_age=…]` |
 * | not_found                        | 404    | none (no endpoint rule matched)                   |
 * | temporarily_unavailable          | 503    | none, `Retry-After` (the issuer's keys could not be fetched) |
 */
export type DenialCode =
  | 'missing_token'
  | 'invalid_request'
  | 'invalid_token'
  | 'invalid_dpop_proof'
  | 'insufficient_scope'
  | 'region_not_supported'
  | 'insufficient_user_authentication'
  | 'not_found'
  | 'temporarily_unavailable';

const DENIALS: Record<DenialCode, { status: number; challenge: 'plain' | 'error' | 'none' }> = {
  missing_token: { status: 401, challenge: 'plain' },
  invalid_request: { status: 400, challenge: 'error' },
  invalid_token: { status: 401, challenge: 'error' },
  invalid_dpop_proof: { status: 401, challenge: 'error' },
  insufficient_scope: { status: 403, challenge: 'error' },
  region_not_supported: { status: 403, challenge: 'error' },
  insufficient_user_authentication: { status: 401, challenge: 'error' },
  not_found: { status: 404, challenge: 'none' },
  temporarily_unavailable: { status: 503, challenge: 'none' },
};

export type Denial = {
  ok: false;
  status: number;
  error: DenialCode;
  /** ASCII, safe for a header (RFC 6750 §3: no `"` or `\`). */
  description: string;
  /** Headers to send: `WWW-Authenticate`, `Retry-After`, `Cache-Control`. */
  headers: Record<string, string>;
  body: { error: DenialCode; error_description: string };
};

/** RFC 6750 error_description / RFC 7235 quoted-string: printable ASCII without `"` and `\`. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

export function bearerChallenge(params: Record<string, string | number | undefined>, scheme: 'Bearer' | 'DPoP' = 'Bearer'): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => (typeof v === 'number' ? `${k}=${v}` : `${k}="${headerSafe(v)}"`));
  return `${scheme} ${parts.join(', ')}`;
}

/** Who is challenged: a realm (Bearer), or a realm with the DPoP scheme and its algorithms. */
export type Challenge = string | { realm: string; scheme: 'Bearer' | 'DPoP'; algs: readonly string[] };

/** `extra` adds challenge parameters (scope, acr_values, max_age). */
export function deny(error: DenialCode, description: string, to: Challenge, extra: Record<string, string | number | undefined> = {}): Denial {
  const { status, challenge } = DENIALS[error];
  const safe = headerSafe(description);
  const { realm, scheme, algs } = typeof to === 'string' ? { realm: to, scheme: 'Bearer' as const, algs: [] } : to;
  const dpop = scheme === 'DPoP' ? { algs: algs.join(' ') } : {};
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (challenge === 'plain') headers['www-authenticate'] = bearerChallenge({ realm, ...dpop }, scheme);
  if (challenge === 'error') headers['www-authenticate'] = bearerChallenge({ realm, error, error_description: safe, ...extra, ...dpop }, scheme);
  if (error === 'temporarily_unavailable') headers['retry-after'] = '5';
  return { ok: false, status, error, description: safe, headers, body: { error, error_description: safe } };
}

/** The denial as a Web Response (JSON body). */
export function denialResponse(denial: Denial): Response {
  return new Response(JSON.stringify(denial.body), {
    status: denial.status,
    headers: { ...denial.headers, 'content-type': 'application/json; charset=utf-8' },
  });
}
