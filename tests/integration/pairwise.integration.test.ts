import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type TestAccount } from './_support/cli';
import { client } from './_support/oidc';
import { RESOURCE, TOKEN_TYPE, claimsOf, exchange, rp, signIn, verifyAccessToken } from '../support/token-exchange-flows';

/**
 * Pairwise subject identifiers: travel-web and hotel-web are pairwise clients with their own
 * sectors; the orders API is a pairwise resource server with its own; demo-web and the demo API
 * are public (idp.config.yaml).
 */

let person: TestAccount;
let travel: Awaited<ReturnType<typeof signIn>>;
let hotel: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  person = await createAccount('pairwise', { region: 'TW' });
  travel = await signIn('travelWeb', person, { resource: RESOURCE.orders(), scope: 'openid orders:read' });
  hotel = await signIn('hotelWeb', person);
});

describe('pairwise subject identifiers', () => {
  it('two pairwise clients see different subs for the same person, neither the account id', () => {
    const travelSub = travel.claims()!.sub;
    const hotelSub = hotel.claims()!.sub;
    expect(travelSub).not.toBe(hotelSub);
    for (const sub of [travelSub, hotelSub]) {
      expect(sub).not.toBe(person.id);
      expect(sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('a client\'s sub is stable across sign-ins, and userinfo agrees', async () => {
    const again = await signIn('travelWeb', person);
    expect(again.claims()!.sub).toBe(travel.claims()!.sub);
    const userinfo = await client.fetchUserInfo(await rp('travelWeb'), again.access_token, again.claims()!.sub);
    expect(userinfo.sub).toBe(travel.claims()!.sub);
  });

  it('a client and a resource server see different subs: the access token carries the resource server\'s', async () => {
    const accessToken = await verifyAccessToken(travel.access_token, RESOURCE.orders());
    expect(accessToken.client_id).toBe('travel-web');
    expect(accessToken.sub).not.toBe(travel.claims()!.sub);
    expect(accessToken.sub).not.toBe(person.id);
    expect(accessToken.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('the exchanged token\'s sub is the target\'s PPID, the same whichever token it came from', async () => {
    const ordersSub = claimsOf(travel.access_token).sub;
    // travel-web exchanges the ID token it was issued (its policy: its own ID tokens).
    const exchanged = await exchange('travelWeb', { subject_token: travel.id_token!, subject_token_type: TOKEN_TYPE.idToken, audience: RESOURCE.orders(), scope: 'orders:read' });
    expect((await verifyAccessToken(exchanged.access_token, RESOURCE.orders())).sub).toBe(ordersSub);
    // The same person through demo-web (public client): same PPID at the orders API.
    const viaDemo = await signIn('demoWeb', person, { resource: RESOURCE.demo(), scope: 'openid items:read' });
    expect(viaDemo.claims()!.sub).toBe(person.id);
    const fromDemo = await exchange('marketplace', { subject_token: viaDemo.access_token, subject_token_type: TOKEN_TYPE.accessToken, audience: RESOURCE.orders() });
    expect((await verifyAccessToken(fromDemo.access_token)).sub).toBe(ordersSub);
    // For the public demo API the exchanged token carries the account id.
    const toDemo = await exchange('marketplace', { subject_token: viaDemo.access_token, subject_token_type: TOKEN_TYPE.accessToken, audience: RESOURCE.demo(), scope: 'items:read' });
    expect((await verifyAccessToken(toDemo.access_token)).sub).toBe(person.id);
  });

  it('different people get different PPIDs in one sector', async () => {
    const other = await createAccount('pairwise-other', { region: 'TW' });
    const otherTravel = await signIn('travelWeb', other);
    expect(otherTravel.claims()!.sub).not.toBe(travel.claims()!.sub);
  });
});
