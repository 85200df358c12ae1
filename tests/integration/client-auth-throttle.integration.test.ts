import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server-process';

/**
 * Client authentication is throttled like sign-in (issue 31): failed client authentications
 * lock the client id (5 in 15 minutes, policies.sign_in_lockout.max_failures) and the IP (50,
 * ip_max_failures); while locked, the secret is not compared and the answer is 401
 * invalid_client with Retry-After. A server of its own (fresh database): the locks it provokes
 * would otherwise hit the other test files' clients.
 */

const MAX_FAILURES = 5;
const IP_MAX_FAILURES = 50;
const SECRETS = { 'demo-service': 'demo-service-secret-0123456789', 'marketplace-backend': 'marketplace-backend-secret-0123456789' } as const;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

type Answer = { status: number; body: { error?: string; error_description?: string; access_token?: string }; retryAfter: string | null };

/** A client credentials request, the secret in the Authorization header (basic) or the body (post). */
async function clientCredentials(clientId: string, secret: string, via: 'basic' | 'post' = 'basic'): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams({ grant_type: 'client_credentials', resource: `${server.url}/api/demo`, scope: 'items:read' });
  if (via === 'basic') headers.authorization = `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
  else {
    body.set('client_id', clientId);
    body.set('client_secret', secret);
  }
  const res = await fetch(`${server.url}/oidc/token`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Answer['body'], retryAfter: res.headers.get('retry-after') };
}

function expectThrottled(answer: Answer) {
  expect(answer.status).toBe(401);
  expect(answer.body.error).toBe('invalid_client');
  expect(answer.body.error_description).toBe('too many failed client authentications: try again later');
  expect(answer.body.access_token).toBeUndefined();
  expect(Number(answer.retryAfter)).toBeGreaterThan(0);
}

describe('client authentication throttling', () => {
  it('wrong secrets lock the client id: then even the right one is refused, in the header or the body; another client is unaffected', async () => {
    expect((await clientCredentials('demo-service', SECRETS['demo-service'])).status).toBe(200);
    for (let i = 0; i < MAX_FAILURES; i++) {
      const wrong = await clientCredentials('demo-service', `wrong-secret-${i}-0123456789`);
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('invalid_client');
    }
    expectThrottled(await clientCredentials('demo-service', SECRETS['demo-service']));
    expectThrottled(await clientCredentials('demo-service', SECRETS['demo-service'], 'post'));
    // A wrong secret while locked gets the very same answer: nothing is learned from it.
    expectThrottled(await clientCredentials('demo-service', 'wrong-secret-again-0123456789'));

    const other = await clientCredentials('marketplace-backend', SECRETS['marketplace-backend']);
    expect(other.status).toBe(200);
    expect(other.body.access_token).toEqual(expect.any(String));
  });

  it('failures from one IP across client ids lock the IP', async () => {
    // MAX_FAILURES already counted for this IP above; the locked attempts were not.
    for (let i = MAX_FAILURES; i < IP_MAX_FAILURES - 1; i++) {
      expect((await clientCredentials(`no-such-client-${i}`, 'wrong-secret-0123456789')).status).toBe(401);
    }
    expect((await clientCredentials('marketplace-backend', SECRETS['marketplace-backend'])).status).toBe(200);
    expect((await clientCredentials('no-such-client-last', 'wrong-secret-0123456789')).status).toBe(401);
    expectThrottled(await clientCredentials('marketplace-backend', SECRETS['marketplace-backend']));
  });
});
