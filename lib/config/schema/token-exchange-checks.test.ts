import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIdpConfig } from '../idp-config';
import { clientSector, resourceServerSector } from './subject-namespaces';

const BASE = `
regions:
  - { code: JP, default_locale: ja, locales: [ja, en] }
resource_servers:
  - { identifier: 'https://api.example/public', name: Public, regions: [JP], scopes: { 'a:read': A } }
  - { identifier: 'https://api.example/orders', name: Orders, regions: [JP], subject_type: pairwise, scopes: { 'o:read': O, 'o:write': O } }
`;

const SERVICE = `
  - client_id: backend
    client_name: Backend
    client_secret: backend-secret-0123456789
    token_endpoint_auth_method: client_secret_basic
    grant_types: [client_credentials, 'urn:ietf:params:oauth:grant-type:token-exchange']
    supported_regions: [JP]
    resources: { 'https://api.example/orders': ['o:read'] }
`;

function parse(extra: string): () => unknown {
  return () => parseIdpConfig(BASE + extra, {});
}

describe('token exchange and pairwise config checks', () => {
  it('accepts the demo configuration', () => {
    const text = readFileSync(new URL('../../../idp.config.yaml', import.meta.url), 'utf8');
    const config = parseIdpConfig(text, { PUBLIC_URL: 'http://localhost:3000' });
    expect(config.trusted_issuers.map((t) => t.name)).toEqual(['ci']);
    expect(config.clients.find((c) => c.client_id === 'marketplace-backend')?.token_exchange?.delegation).toBe(true);
  });

  it('derives sectors: declared, else the one redirect host; resource servers: their host', () => {
    expect(clientSector({ subject_type: 'pairwise', redirect_uris: ['https://a.example/cb', 'https://a.example/cb2'] })).toEqual({ ok: true, sector: 'a.example' });
    expect(clientSector({ subject_type: 'pairwise', redirect_uris: ['https://a.example/cb', 'https://b.example/cb'] }).ok).toBe(false);
    expect(clientSector({ subject_type: 'pairwise', redirect_uris: ['com.example.app:/cb'] }).ok).toBe(false);
    expect(clientSector({ subject_type: 'pairwise', redirect_uris: [], sector_identifier: 'x.example' })).toEqual({ ok: true, sector: 'x.example' });
    expect(resourceServerSector({ identifier: 'https://api.example:8443/orders', subject_type: 'pairwise' })).toEqual({ ok: true, sector: 'api.example:8443' });
  });

  it('a pairwise client needs a sector when its redirect URIs span hosts', () => {
    expect(
      parse(`
clients:
  - client_id: spa
    client_name: Spa
    client_secret: spa-secret-0123456789
    token_endpoint_auth_method: client_secret_basic
    grant_types: [authorization_code]
    subject_type: pairwise
    redirect_uris: ['https://a.example/cb', 'https://b.example/cb']
    supported_regions: [JP]
`),
    ).toThrow(/clients\.0\.sector_identifier: required: the redirect_uris do not share one host/);
  });

  it('a pairwise client gets tokens only for pairwise resource servers', () => {
    expect(
      parse(`
clients:
  - client_id: spa
    client_name: Spa
    client_secret: spa-secret-0123456789
    token_endpoint_auth_method: client_secret_basic
    grant_types: [authorization_code]
    subject_type: pairwise
    redirect_uris: ['https://a.example/cb']
    supported_regions: [JP]
    resources: { 'https://api.example/public': ['a:read'] }
`),
    ).toThrow(/clients\.0\.resources\.https:\/\/api\.example\/public: a pairwise client gets tokens only for pairwise resource servers/);
  });

  it('the grant type and the policy go together, on confidential clients', () => {
    expect(parse(`\nclients:${SERVICE}`)).toThrow(/clients\.0\.token_exchange: required with the urn:ietf:params:oauth:grant-type:token-exchange grant type/);
    expect(
      parse(`
clients:
  - client_id: app
    client_name: App
    token_endpoint_auth_method: none
    grant_types: ['urn:ietf:params:oauth:grant-type:token-exchange']
    supported_regions: [JP]
    token_exchange: { subject_token_types: [access_token], audiences: ['https://api.example/orders'], impersonation: true }
`),
    ).toThrow(/clients\.0\.grant_types: token exchange needs a confidential client/);
  });

  it('names a policy\'s unknown audience, issuer and scope', () => {
    const run = parse(`
clients:${SERVICE}    token_exchange:
      subject_token_types: [jwt]
      trusted_issuers: [nope]
      audiences: ['https://api.example/public']
      scopes: ['o:write']
      impersonation: true
`);
    expect(run).toThrow(/clients\.0\.token_exchange\.audiences\.0: "https:\/\/api\.example\/public" is not in this client's resources/);
    expect(run).toThrow(/clients\.0\.token_exchange\.trusted_issuers\.0: unknown trusted issuer "nope"/);
    expect(run).toThrow(/clients\.0\.token_exchange\.scopes\.0: "o:write" is not allowed on any of the audiences/);
  });

  it('refuses another client in subject_token_audiences (an ID token is a subject token only for its own client)', () => {
    const run = parse(`
clients:${SERVICE}    token_exchange:
      subject_token_types: [access_token, id_token]
      subject_token_audiences: ['https://api.example/orders', web, 'https://api.example/nowhere']
      audiences: ['https://api.example/orders']
      impersonation: true
  - client_id: web
    client_name: Web
    client_secret: web-secret-0123456789
    token_endpoint_auth_method: client_secret_basic
    grant_types: [authorization_code]
    redirect_uris: ['https://web.example/cb']
    supported_regions: [JP]
`);
    expect(run).toThrow(/clients\.0\.token_exchange\.subject_token_audiences\.1: "web" is a client: an ID token is a subject token only for its own client/);
    expect(run).toThrow(/clients\.0\.token_exchange\.subject_token_audiences\.2: "https:\/\/api\.example\/nowhere" is not a resource server/);
    expect(run).not.toThrow(/subject_token_audiences\.0/);
  });

  it('checks trusted issuers: one key source, safe URLs, public keys, known service accounts', () => {
    const issuer = (body: string) =>
      parse(`
clients:${SERVICE}    token_exchange: { subject_token_types: [jwt], trusted_issuers: [ci], audiences: ['https://api.example/orders'], impersonation: true }
trusted_issuers:
  - name: ci
    issuer: https://ci.example
    audiences: [meridian]
${body}`);
    const subjects = `    subjects: [{ sub: 'repo:*', service_account: backend, audiences: ['https://api.example/orders'], scopes: ['o:read'] }]\n`;
    expect(issuer(`    jwks_uri: https://ci.example/jwks\n${subjects}`)).not.toThrow();
    expect(issuer(`    jwks_uri: http://127.0.0.1:8080/jwks\n${subjects}`)).not.toThrow();
    expect(issuer(`    jwks_uri: http://ci.example/jwks\n${subjects}`)).toThrow(/trusted_issuers\.0\.jwks_uri: jwks_uri must be https/);
    expect(issuer(subjects)).toThrow(/give exactly one of jwks_uri, jwks/);
    expect(issuer(`    jwks: '{"keys":[{"kty":"EC","crv":"P-256","x":"x","y":"y","d":"secret"}]}'\n${subjects}`)).toThrow(/must be a public key/);
    expect(issuer(`    jwks: '{"keys":[{"kty":"EC","crv":"P-256","x":"x","y":"y"}]}'\n${subjects}`)).not.toThrow();
    expect(issuer(`    jwks_uri: https://ci.example/jwks\n    algorithms: [HS256]\n${subjects}`)).toThrow(/trusted_issuers\.0\.algorithms\.0/);
    expect(issuer(`    jwks_uri: https://ci.example/jwks\n${subjects.replace('service_account: backend', 'service_account: ghost')}`)).toThrow(
      /trusted_issuers\.0\.subjects\.0\.service_account: unknown client "ghost"/,
    );
  });

  it('checks PPID conversion: the API, its scope, callers able to get the token, known sources', () => {
    const conversion = (permissions: string) =>
      parse(`
resource_servers:
  - { identifier: 'https://api.example/ppid', name: PPID, regions: [JP], subject_type: pairwise, scopes: { 'ppid:convert': Convert } }
clients:
  - client_id: orders
    client_name: Orders
    client_secret: orders-secret-0123456789
    token_endpoint_auth_method: client_secret_basic
    grant_types: [client_credentials]
    supported_regions: [JP]
    resources: { 'https://api.example/ppid': ['ppid:convert'] }
  - client_id: other
    client_name: Other
    client_secret: other-secret-0123456789
    token_endpoint_auth_method: client_secret_basic
    grant_types: [client_credentials]
    supported_regions: [JP]
ppid_conversion:
  resource: https://api.example/ppid
  permissions: ${permissions}
`.replace(/^resource_servers:\n/m, ''));
    // The extra resource server is appended to BASE's list.
    expect(conversion(`[{ caller: orders, sources: [other, 'https://api.example/orders'] }]`)).not.toThrow();
    expect(conversion(`[{ caller: other, sources: [orders] }]`)).toThrow(/ppid_conversion\.permissions\.0\.caller: "other" cannot get a ppid:convert token/);
    expect(conversion(`[{ caller: orders, sources: [ghost] }]`)).toThrow(/ppid_conversion\.permissions\.0\.sources\.0: unknown client or resource server "ghost"/);
  });
});
