import { clientSector, resourceServerSector } from './subject-namespaces';
import { TOKEN_EXCHANGE_GRANT_TYPE, type PpidConversionConfig, type TokenExchangePolicyConfig, type TrustedIssuerConfig } from './token-exchange-schema';

/** The parts of the configuration these checks read (structural, to keep the schema file acyclic). */
type CheckedConfig = {
  resource_servers: { identifier: string; scopes: Record<string, string>; subject_type: 'public' | 'pairwise'; sector_identifier?: string | undefined }[];
  clients: {
    client_id: string;
    token_endpoint_auth_method: string;
    grant_types: string[];
    subject_type: 'public' | 'pairwise';
    sector_identifier?: string | undefined;
    redirect_uris: string[];
    resources: Record<string, string[]>;
    token_exchange?: TokenExchangePolicyConfig | undefined;
  }[];
  trusted_issuers: TrustedIssuerConfig[];
  ppid_conversion?: PpidConversionConfig | undefined;
};

type IssueSink = { addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void };

/**
 * Cross-checks for pairwise subjects, token exchange, trusted issuers and PPID conversion; each
 * issue names the offending key. Rules:
 * 1. a pairwise client or resource server has a sector (declared, or derivable);
 * 2. a pairwise client gets tokens only for pairwise resource servers (a public one's `sub` is
 *    the account id, which the client could read in the JWT);
 * 3. the token-exchange grant type and a `token_exchange` policy go together, on confidential
 *    clients only; the policy's audiences are in the client's `resources`, its issuers exist;
 *    `subject_token_audiences` lists resource servers only: an ID token is a subject token only
 *    for the client it was issued to, so naming another client there is refused;
 * 4. trusted issuers are unique; their subjects map to configured clients and resource servers;
 * 5. PPID conversion names a resource server with its scope, and callers able to get that token.
 */
export function checkTokenExchangeConfig(config: CheckedConfig, ctx: IssueSink): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const resourceServers = new Map(config.resource_servers.map((rs) => [rs.identifier, rs]));
  const clients = new Map(config.clients.map((c) => [c.client_id, c]));
  const issuerNames = new Set(config.trusted_issuers.map((t) => t.name));

  config.resource_servers.forEach((rs, i) => {
    if (rs.subject_type !== 'pairwise') return;
    const sector = resourceServerSector(rs);
    if (!sector.ok) issue(['resource_servers', i, 'sector_identifier'], sector.message);
  });

  config.clients.forEach((c, i) => {
    const at = (...p: (string | number)[]) => ['clients', i, ...p];
    const pairwise = c.subject_type === 'pairwise';
    if (pairwise) {
      const sector = clientSector(c);
      if (!sector.ok) issue(at('sector_identifier'), sector.message);
      for (const identifier of Object.keys(c.resources)) {
        if (resourceServers.get(identifier)?.subject_type === 'public') {
          issue(at('resources', identifier), 'a pairwise client gets tokens only for pairwise resource servers (this one would reveal the account id)');
        }
      }
    }
    const hasGrant = c.grant_types.includes(TOKEN_EXCHANGE_GRANT_TYPE);
    const policy = c.token_exchange;
    if (hasGrant && c.token_endpoint_auth_method === 'none') issue(at('grant_types'), 'token exchange needs a confidential client');
    if (hasGrant && !policy) issue(at('token_exchange'), `required with the ${TOKEN_EXCHANGE_GRANT_TYPE} grant type`);
    if (!policy) return;
    if (!hasGrant) issue(at('grant_types'), `must include ${TOKEN_EXCHANGE_GRANT_TYPE} when token_exchange is set`);
    if (!policy.impersonation && !policy.delegation) issue(at('token_exchange'), 'allows neither impersonation nor delegation');
    policy.audiences.forEach((aud, j) => {
      if (!(aud in c.resources)) issue(at('token_exchange', 'audiences', j), `"${aud}" is not in this client's resources`);
      else if (pairwise && resourceServers.get(aud)?.subject_type === 'public') {
        issue(at('token_exchange', 'audiences', j), 'a pairwise client gets tokens only for pairwise resource servers');
      }
    });
    policy.subject_token_audiences.forEach((aud, j) => {
      const path = at('token_exchange', 'subject_token_audiences', j);
      if (clients.has(aud)) issue(path, `"${aud}" is a client: an ID token is a subject token only for its own client (list resource servers here)`);
      else if (!resourceServers.has(aud)) issue(path, `"${aud}" is not a resource server`);
    });
    policy.trusted_issuers.forEach((name, j) => {
      if (!issuerNames.has(name)) issue(at('token_exchange', 'trusted_issuers', j), `unknown trusted issuer "${name}"`);
    });
    policy.scopes?.forEach((scope, j) => {
      if (!policy.audiences.some((aud) => c.resources[aud]?.includes(scope))) {
        issue(at('token_exchange', 'scopes', j), `"${scope}" is not allowed on any of the audiences`);
      }
    });
  });

  const seenNames = new Set<string>();
  const seenIssuers = new Set<string>();
  config.trusted_issuers.forEach((t, i) => {
    const at = (...p: (string | number)[]) => ['trusted_issuers', i, ...p];
    if (seenNames.has(t.name)) issue(at('name'), `duplicate name "${t.name}"`);
    if (seenIssuers.has(t.issuer)) issue(at('issuer'), `duplicate issuer "${t.issuer}"`);
    seenNames.add(t.name);
    seenIssuers.add(t.issuer);
    t.subjects.forEach((rule, j) => {
      if (rule.service_account !== undefined && !clients.has(rule.service_account)) {
        issue(at('subjects', j, 'service_account'), `unknown client "${rule.service_account}"`);
      }
      rule.audiences.forEach((aud, k) => {
        if (!resourceServers.has(aud)) issue(at('subjects', j, 'audiences', k), 'unknown resource server');
      });
      rule.scopes.forEach((scope, k) => {
        if (!rule.audiences.some((aud) => scope in (resourceServers.get(aud)?.scopes ?? {}))) {
          issue(at('subjects', j, 'scopes', k), `"${scope}" is not a scope of any of the audiences`);
        }
      });
    });
  });

  const conversion = config.ppid_conversion;
  if (conversion) {
    const rs = resourceServers.get(conversion.resource);
    if (!rs) issue(['ppid_conversion', 'resource'], 'unknown resource server');
    else if (!(conversion.scope in rs.scopes)) issue(['ppid_conversion', 'scope'], `not a scope of ${conversion.resource}`);
    conversion.permissions.forEach((p, i) => {
      const caller = clients.get(p.caller);
      if (!caller) issue(['ppid_conversion', 'permissions', i, 'caller'], `unknown client "${p.caller}"`);
      else if (!caller.resources[conversion.resource]?.includes(conversion.scope)) {
        issue(['ppid_conversion', 'permissions', i, 'caller'], `"${p.caller}" cannot get a ${conversion.scope} token: add it to its resources`);
      }
      p.sources.forEach((source, j) => {
        if (!clients.has(source) && !resourceServers.has(source)) {
          issue(['ppid_conversion', 'permissions', i, 'sources', j], `unknown client or resource server "${source}"`);
        }
      });
    });
  }
}
