import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openidClient from 'openid-client';
import { inject } from 'vitest';
import { parse, stringify } from 'yaml';
import { type RunningServer, startServer } from '../../support/server-process';
import type { PendingAuthorization } from './oidc';

/** idp.config.yaml as data (`${NAME}` references stay as text; the server expands them). */
export type ConfigDocument = { clients: Record<string, unknown>[]; [key: string]: unknown };

/**
 * A second production server on the shared database (same accounts), with its own port, issuer
 * and the demo configuration changed by `change` (clients a test needs, other internal networks).
 */
export async function startVariantServer(change: (config: ConfigDocument) => void): Promise<RunningServer> {
  const config = parse(readFileSync(join(process.cwd(), 'idp.config.yaml'), 'utf8')) as ConfigDocument;
  change(config);
  const file = join(mkdtempSync(join(tmpdir(), 'meridian-variant-')), 'idp.config.yaml');
  writeFileSync(file, stringify(config));
  return startServer({ databaseUrl: inject('serverEnv').DATABASE_URL, env: { IDP_CONFIG: file } });
}

/** A confidential first-party web client for a variant config, plus `extra` metadata. */
export function variantClient(clientId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_id: clientId,
    client_name: `Test client ${clientId}`,
    client_secret: `${clientId}-secret-0123456789`,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    redirect_uris: [`https://${clientId}.example/callback`],
    first_party: true,
    supported_regions: ['JP', 'TW', 'HK', 'US'],
    ...extra,
  };
}

/** openid-client for a variantClient on `server`, and an authorization request for it (PKCE, state, nonce). */
export async function variantAuthorization(server: RunningServer, clientId: string, metadata: Partial<openidClient.ClientMetadata> = {}) {
  const redirectUri = `https://${clientId}.example/callback`;
  const config = await openidClient.discovery(
    new URL(`${server.url}/oidc`),
    clientId,
    { redirect_uris: [redirectUri], ...metadata },
    openidClient.ClientSecretBasic(`${clientId}-secret-0123456789`),
    { execute: [openidClient.allowInsecureRequests] },
  );
  const verifier = openidClient.randomPKCECodeVerifier();
  const state = openidClient.randomState();
  const nonce = openidClient.randomNonce();
  const url = openidClient.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email',
    state,
    nonce,
    code_challenge: await openidClient.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const pending: PendingAuthorization = { url, state, nonce, verifier, redirectUri };
  return { config, pending };
}
