import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/server-process';
import { Browser } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { authorizationRequest, baseUrl, exchangeCode, issuer, jose, relyingParty, serverJwks, signInAndGetCallback } from './_support/oidc';
import { startVariantServer, variantAuthorization, variantClient } from './_support/variant-server';

/**
 * ID token signatures: RS256 when a client registers nothing (the OIDC default, which next-auth
 * v4 and openid-client 5 assume), else the client's id_token_signed_response_alg.
 */

let account: TestAccount;

beforeAll(async () => {
  account = await createAccount('id-token-alg');
});

describe('ID token signing algorithm', () => {
  it('is RS256 for a client that registered none, and verifies against the JWKS', async () => {
    const config = await relyingParty('demoWeb');
    const pending = await authorizationRequest(config, 'demoWeb');
    const tokens = await exchangeCode(config, await signInAndGetCallback(new Browser(baseUrl()), pending, account), pending);
    const { protectedHeader, payload } = await jose.jwtVerify(tokens.id_token!, serverJwks(), { issuer: issuer(), audience: 'demo-web', algorithms: ['RS256'] });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.sub).toBe(account.id);
    expect(config.serverMetadata().id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(['RS256', 'ES256', 'PS256', 'EdDSA']));
  });

  describe('a client that registered one', () => {
    let server: RunningServer;
    const ALGS = { 'alg-es256': 'ES256', 'alg-ps256': 'PS256', 'alg-eddsa': 'EdDSA' } as const;

    beforeAll(async () => {
      server = await startVariantServer((config) => {
        for (const [clientId, alg] of Object.entries(ALGS)) config.clients.push(variantClient(clientId, { id_token_signed_response_alg: alg }));
      });
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('gets ES256, PS256 or EdDSA ID tokens as registered', async () => {
      const jwks = jose.createRemoteJWKSet(new URL(`${server.url}/oidc/jwks`));
      for (const [clientId, alg] of Object.entries(ALGS)) {
        const { config, pending } = await variantAuthorization(server, clientId, { id_token_signed_response_alg: alg });
        const tokens = await exchangeCode(config, await signInAndGetCallback(new Browser(server.url), pending, account), pending);
        const { protectedHeader, payload } = await jose.jwtVerify(tokens.id_token!, jwks, { issuer: `${server.url}/oidc`, audience: clientId, algorithms: [alg] });
        expect(protectedHeader.alg, clientId).toBe(alg);
        expect(payload.sub).toBe(account.id);
      }
    });
  });
});
