/**
 * `npm run idp -- keys rotate` against the running server's database: the server picks the new
 * keys up without a restart (within its 30 s reload), publishes old and new at once, and signs
 * with the new ones from 60 s after the rotation (at its next reload after that).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './_support/browser';
import { createAccount, runCli, type TestAccount } from './_support/cli';
import { authorizationRequest, baseUrl, client, exchangeCode, fetchJwks, issuer, jose, relyingParty, signInAndGetCallback } from './_support/oidc';

const PICKUP_DEADLINE_MS = 45_000;
const NEW_KEY_SIGNS_FROM_MS = 60_000;
const SWITCH_DEADLINE_MS = 105_000;

let account: TestAccount;

beforeAll(async () => {
  account = await createAccount('keys');
});

function es256Kids(jwks: jose.JSONWebKeySet): string[] {
  return jwks.keys.filter((k) => k.kty === 'EC' && k.crv === 'P-256' && (k.alg === undefined || k.alg === 'ES256')).map((k) => k.kid!);
}

async function idToken() {
  const config = await relyingParty('demoWeb');
  const pending = await authorizationRequest(config, 'demoWeb');
  const callback = await signInAndGetCallback(new Browser(baseUrl()), pending, account);
  return (await exchangeCode(config, callback, pending)).id_token!;
}

async function serviceToken() {
  const config = await relyingParty('demoService');
  return (await client.clientCredentialsGrant(config, { scope: 'items:read', resource: `${baseUrl()}/api/demo` })).access_token;
}

describe('signing key rotation', () => {
  it('publishes old and new ES256 keys, signs with the new one, and old tokens still verify', { timeout: SWITCH_DEADLINE_MS + 60_000 }, async () => {
    const before = await fetchJwks();
    const oldKids = es256Kids(before);
    expect(oldKids.length).toBeGreaterThanOrEqual(1);
    const oldIdToken = await idToken();
    const oldAccessToken = await serviceToken();
    // Access tokens are ES256; ID tokens RS256 (the default for clients that register no alg).
    const oldKid = jose.decodeProtectedHeader(oldAccessToken).kid!;
    expect(oldKids).toContain(oldKid);
    const oldIdKid = jose.decodeProtectedHeader(oldIdToken).kid!;
    expect(jose.decodeProtectedHeader(oldIdToken).alg).toBe('RS256');

    const rotationStarted = Date.now();
    const { stdout } = await runCli(['keys', 'rotate', '--json']);
    const rotation = JSON.parse(stdout.trim().split('\n').at(-1)!) as { added: string[]; retired: string[] };
    expect(rotation.added.length).toBeGreaterThanOrEqual(1);
    expect(rotation.retired).toEqual(expect.arrayContaining([oldKid, oldIdKid]));

    // The running server notices on its own (no restart): poll the JWKS until the new key shows.
    let after = before;
    const deadline = Date.now() + PICKUP_DEADLINE_MS;
    while (Date.now() < deadline) {
      after = await fetchJwks();
      if (rotation.added.some((kid) => es256Kids(after).includes(kid))) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const publishedKids = es256Kids(after);
    const newKid = rotation.added.find((kid) => publishedKids.includes(kid));
    expect(newKid, `a new ES256 kid in the JWKS within ${PICKUP_DEADLINE_MS / 1000} s`).toBeDefined();
    expect(publishedKids).toEqual(expect.arrayContaining([oldKid, newKid!]));

    // Tokens signed before the rotation still verify against what is published now.
    const keys = jose.createLocalJWKSet(after);
    await expect(jose.jwtVerify(oldIdToken, keys, { issuer: issuer(), audience: 'demo-web' })).resolves.toBeDefined();
    await expect(jose.jwtVerify(oldAccessToken, keys, { issuer: issuer(), audience: `${baseUrl()}/api/demo`, typ: 'at+jwt' })).resolves.toBeDefined();

    // Published, but not signing yet: the old key signs until the delay has passed.
    expect(jose.decodeProtectedHeader(await serviceToken()).kid).toBe(oldKid);

    // Then new tokens are signed with the new key.
    let switchedAfter: number | undefined;
    while (Date.now() - rotationStarted < SWITCH_DEADLINE_MS) {
      const kid = jose.decodeProtectedHeader(await serviceToken()).kid!;
      if (kid !== oldKid) {
        switchedAfter = Date.now() - rotationStarted;
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(switchedAfter, `signing with the new key from ${NEW_KEY_SIGNS_FROM_MS / 1000} s after the rotation`).toBeGreaterThanOrEqual(NEW_KEY_SIGNS_FROM_MS);
    const newIdToken = await idToken();
    const newIdKid = jose.decodeProtectedHeader(newIdToken).kid;
    expect(rotation.added).toContain(newIdKid);
    expect(newIdKid).not.toBe(oldIdKid);
    await expect(jose.jwtVerify(newIdToken, keys, { issuer: issuer(), audience: 'demo-web' })).resolves.toBeDefined();
    expect(jose.decodeProtectedHeader(await serviceToken()).kid).toBe(newKid);
  });
});
