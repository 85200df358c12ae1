/**
 * Which subjects of a trusted external issuer are accepted, and whom they act as. Rules:
 * 1. the rules are tried in order; the first that matches wins; none → not accepted;
 * 2. `sub` matches the token's `sub` exactly, or as a pattern where `*` is any run of
 *    characters (anchored at both ends; every other character is literal);
 * 3. `email` matches the token's `email` case-insensitively, unless `email_verified` is false
 *    (or not a boolean when present).
 */

export type ExternalSubjectRule = {
  sub?: string | undefined;
  email?: string | undefined;
  /** The local identity: a configured client acting as a service account … */
  serviceAccount?: string | undefined;
  /** … or an account, by email. */
  accountEmail?: string | undefined;
  audiences: readonly string[];
  scopes: readonly string[];
};

export type ExternalSubjectMatcher = (claims: Record<string, unknown>) => ExternalSubjectRule | undefined;

function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

export function createExternalSubjectMatcher(rules: readonly ExternalSubjectRule[]): ExternalSubjectMatcher {
  const compiled = rules.map((rule) => ({
    rule,
    sub: rule.sub === undefined ? undefined : rule.sub.includes('*') ? patternToRegExp(rule.sub) : rule.sub,
    email: rule.email?.toLowerCase(),
  }));
  return (claims) => {
    const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
    const verified = claims.email_verified;
    const email = typeof claims.email === 'string' && (verified === undefined || verified === true) ? claims.email.toLowerCase() : undefined;
    for (const c of compiled) {
      if (c.sub !== undefined) {
        if (sub === undefined) continue;
        if (typeof c.sub === 'string' ? c.sub === sub : c.sub.test(sub)) return c.rule;
      } else if (c.email !== undefined && email === c.email) {
        return c.rule;
      }
    }
    return undefined;
  };
}
