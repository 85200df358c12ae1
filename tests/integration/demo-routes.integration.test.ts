/**
 * The demo relying party (/demo) and the demo and bench API (/api/demo, including the
 * token-less /api/demo/items-unverified) exist for `npm run demo`, tests and benches only: a
 * production start without MERIDIAN_DEMO=1 answers 404 for all of them.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionConfigFile } from '../support/production-config';
import { startServer, type RunningServer } from '../support/server-process';
import { baseUrl } from './_support/oidc';

const SHIPPED = readFileSync(join(process.cwd(), 'idp.config.yaml'), 'utf8');
const strong = () => randomBytes(32).toString('base64url');
const clientSecrets = Object.fromEntries([...SHIPPED.matchAll(/client_secret: \$\{([A-Z0-9_]+):-[^}]+\}/g)].map((m) => [m[1]!, strong()]));

const DEMO_REQUESTS: [method: string, path: string][] = [
  ['GET', '/api/demo/items-unverified'],
  ['GET', '/api/demo/items'],
  ['POST', '/api/demo/items'],
  ['GET', '/api/demo/fintech/balance'],
  ['POST', '/api/demo/fintech/transfers'],
  ['GET', '/demo'],
  ['GET', '/demo/login'],
  ['GET', '/demo/callback?code=x&state=y'],
  ['POST', '/demo/logout'],
  ['POST', '/demo/backchannel-logout'],
];

async function send(origin: string, method: string, path: string): Promise<Response> {
  const body = method === 'POST' ? new URLSearchParams({ logout_token: 'x' }) : undefined;
  return fetch(`${origin}${path}`, { method, body, redirect: 'manual', headers: { origin } });
}

describe('demo and bench routes in a production deployment', () => {
  let production: RunningServer;

  beforeAll(async () => {
    production = await startServer({
      env: { IDP_CONFIG: productionConfigFile(), MERIDIAN_DEV_SECRETS: '0', MERIDIAN_DEMO: '0', COOKIE_SECRETS: strong(), PAIRWISE_SALT: strong(), KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'), ...clientSecrets },
    });
  });
  afterAll(async () => {
    await production?.stop();
  });

  it('answer 404 without the demo switch, and the home page does not link to them', async () => {
    for (const [method, path] of DEMO_REQUESTS) {
      expect((await send(production.url, method, path)).status, `${method} ${path}`).toBe(404);
    }
    expect(await (await fetch(`${production.url}/`)).text()).not.toContain('href="/demo"');
    // The identity provider itself is there.
    expect((await fetch(`${production.url}/oidc/.well-known/openid-configuration`)).status).toBe(200);
  });

  it('are served in demo mode (MERIDIAN_DEMO=1: npm run demo, the test and bench servers)', async () => {
    expect((await send(baseUrl(), 'GET', '/api/demo/items-unverified')).status).toBe(200);
    expect((await send(baseUrl(), 'GET', '/demo')).status).toBe(200);
    expect(await (await fetch(`${baseUrl()}/`)).text()).toContain('href="/demo"');
  });
});
