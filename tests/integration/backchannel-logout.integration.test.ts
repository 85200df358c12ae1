import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/server-process';
import { Browser, expectRedirect } from './_support/browser';
import { createAccount, type TestAccount } from './_support/cli';
import { client, exchangeCode, jose, signInAndGetCallback } from './_support/oidc';
import { startVariantServer, variantAuthorization, variantClient } from './_support/variant-server';

/**
 * Back-channel logout (OIDC Back-Channel Logout 1.0) to relying parties on an internal network.
 * oidc-provider's SSRF guard refuses loopback and private addresses; config declares
 * 127.0.0.1/32 internal, so a receiver there gets its logout token, while one on 127.0.0.2
 * (loopback too, not declared) is refused — and the refusal is logged, not silent.
 */

type Receiver = { server: Server; url: string; tokens: string[]; connections: number };

async function startReceiver(host: string): Promise<Receiver> {
  const receiver: Receiver = { server: createServer(), url: '', tokens: [], connections: 0 };
  receiver.server.on('connection', () => (receiver.connections += 1));
  receiver.server.on('request', (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (token) receiver.tokens.push(token);
      res.writeHead(200, { 'cache-control': 'no-store' }).end();
    });
  });
  await new Promise<void>((resolve) => receiver.server.listen(0, host, resolve));
  receiver.url = `http://${host}:${(receiver.server.address() as AddressInfo).port}/backchannel-logout`;
  return receiver;
}

let internal: Receiver;
let undeclared: Receiver;
let server: RunningServer;
let account: TestAccount;

beforeAll(async () => {
  [internal, undeclared, account] = await Promise.all([startReceiver('127.0.0.1'), startReceiver('127.0.0.2'), createAccount('backchannel')]);
  server = await startVariantServer((config) => {
    config.internal_networks = ['127.0.0.1/32'];
    config.clients.push(
      variantClient('bc-internal', { backchannel_logout_uri: internal.url }),
      variantClient('bc-undeclared', { backchannel_logout_uri: undeclared.url }),
    );
  });
});

afterAll(async () => {
  await server?.stop();
  for (const r of [internal, undeclared]) r?.server.close();
});

describe('back-channel logout', () => {
  it('reaches a receiver on a declared internal network; an undeclared private address is refused and logged', async () => {
    const browser = new Browser(server.url);
    const first = await variantAuthorization(server, 'bc-internal');
    const tokens = await exchangeCode(first.config, await signInAndGetCallback(browser, first.pending, account), first.pending);
    // Same browser: single sign-on into the second client, so the session holds both.
    const second = await variantAuthorization(server, 'bc-undeclared');
    const callback = expectRedirect(await browser.navigate(second.pending.url, { stopAt: second.pending.redirectUri }), 'an SSO code for bc-undeclared');
    expect(callback.location.searchParams.get('code')).toEqual(expect.any(String));

    const logout = client.buildEndSessionUrl(first.config, { id_token_hint: tokens.id_token! });
    expectRedirect(await browser.navigate(logout, { stopAt: `${server.url}/oidc/session/end/success` }), 'the end of the session');

    expect(internal.tokens).toHaveLength(1);
    const { payload, protectedHeader } = await jose.jwtVerify(internal.tokens[0]!, jose.createRemoteJWKSet(new URL(`${server.url}/oidc/jwks`)), {
      issuer: `${server.url}/oidc`,
      audience: 'bc-internal',
      typ: 'logout+jwt',
    });
    expect(protectedHeader.typ).toBe('logout+jwt');
    expect(payload.sub).toBe(account.id);
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    expect(payload).not.toHaveProperty('nonce');

    expect(undeclared.tokens).toEqual([]);
    const logged = server.output().split('\n').filter((line) => line.includes('backchannel.error'));
    expect(logged).toEqual([expect.stringMatching(/client=bc-undeclared uri=http:\/\/127\.0\.0\.2:\d+\/backchannel-logout failures=1: .*127\.0\.0\.2.*not declared in internal_networks/)]);
  });
});
