import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { TrustedIssuerConfig } from '../../config/schema/token-exchange-schema';
import { createExternalSubjectMatcher, type ExternalSubjectMatcher, type ExternalSubjectRule } from '../../domain/token-exchange/external-subject-rules';

/**
 * External issuers whose JWTs may be exchanged (trusted_issuers in idp.config.yaml). Rules:
 * 1. `iss` must equal a configured issuer exactly; any other issuer is untrusted;
 * 2. the signature verifies with the issuer's keys (jwks_uri, cached 10 minutes and refetched at
 *    most every 30 s for an unknown kid; or inline), with a configured asymmetric algorithm only
 *    (`none` and HS* never verify);
 * 3. `aud` contains one of the configured audiences; `exp` is present and not past, `nbf` is
 *    honoured (30 s leeway for clock skew between the CI system and us);
 * 4. the subject matches one of the issuer's subject rules (first match wins).
 */

const CLOCK_TOLERANCE_SECONDS = 30;

export type TrustedIssuer = {
  config: TrustedIssuerConfig;
  keys: JWTVerifyGetKey;
  matchSubject: ExternalSubjectMatcher;
};

function toRule(r: TrustedIssuerConfig['subjects'][number]): ExternalSubjectRule {
  return { sub: r.sub, email: r.email, serviceAccount: r.service_account, accountEmail: r.account_email, audiences: r.audiences, scopes: r.scopes };
}

export class TrustedIssuers {
  private readonly byIssuer: Map<string, TrustedIssuer>;

  constructor(configs: readonly TrustedIssuerConfig[]) {
    this.byIssuer = new Map(
      configs.map((config) => [
        config.issuer,
        {
          config,
          keys: config.jwks_uri
            ? createRemoteJWKSet(new URL(config.jwks_uri), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000, timeoutDuration: 5000 })
            : createLocalJWKSet(config.jwks as JSONWebKeySet),
          matchSubject: createExternalSubjectMatcher(config.subjects.map(toRule)),
        },
      ]),
    );
  }

  find(iss: string): TrustedIssuer | undefined {
    return this.byIssuer.get(iss);
  }

  /** Throws (jose errors) unless the JWT is valid for this issuer (rules 2 and 3). */
  async verify(issuer: TrustedIssuer, jwt: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(jwt, issuer.keys, {
      issuer: issuer.config.issuer,
      audience: issuer.config.audiences,
      algorithms: issuer.config.algorithms,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'sub'],
    });
    return payload;
  }
}
