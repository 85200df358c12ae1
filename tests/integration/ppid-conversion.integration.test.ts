import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount, runCli, type TestAccount } from './_support/cli';
import { baseUrl } from './_support/oidc';
import { RESOURCE, claimsOf, clientCredentials, signIn } from '../support/token-exchange-flows';

/**
 * POST /api/ppid/convert (idp.config.yaml ppid_conversion): orders-api may convert travel-web's
 * and hotel-web's subjects into its own (the orders sector); travel-web may convert orders-api's
 * into its own. Nothing else.
 */

type Conversion = { subjects: { source: string; target: string | null }[] };

async function convert(token: string | undefined, body: unknown): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl()}/api/ppid/convert`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

let person: TestAccount;
let travelSub: string;
let hotelSub: string;
let ordersSub: string;
let ordersToken: string;
let travelToken: string;

beforeAll(async () => {
  person = await createAccount('ppid', { region: 'JP' });
  const travel = await signIn('travelWeb', person, { resource: RESOURCE.orders(), scope: 'openid orders:read' });
  travelSub = travel.claims()!.sub;
  ordersSub = claimsOf(travel.access_token).sub!;
  hotelSub = (await signIn('hotelWeb', person)).claims()!.sub;
  ordersToken = await clientCredentials('ordersApi', RESOURCE.ppid(), 'ppid:convert');
  travelToken = await clientCredentials('travelWeb', RESOURCE.ppid(), 'ppid:convert');
});

describe('PPID conversion', () => {
  it('converts a source client\'s PPIDs into the caller\'s; unknown ids come back as null, in order', async () => {
    const res = await convert(ordersToken, { source_client_id: 'travel-web', subjects: [travelSub, 'no-such-ppid', travelSub] });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect((res.body as Conversion).subjects).toEqual([
      { source: travelSub, target: ordersSub },
      { source: 'no-such-ppid', target: null },
      { source: travelSub, target: ordersSub },
    ]);
    const fromHotel = await convert(ordersToken, { source_client_id: 'hotel-web', subjects: [hotelSub] });
    expect((fromHotel.body as Conversion).subjects).toEqual([{ source: hotelSub, target: ordersSub }]);
  });

  it('round-trips: travel → orders → travel', async () => {
    const there = (await convert(ordersToken, { source_client_id: 'travel-web', subjects: [travelSub] })).body as Conversion;
    const target = there.subjects[0]!.target!;
    const back = await convert(travelToken, { source_client_id: 'orders-api', subjects: [target] });
    expect(back.status).toBe(200);
    expect((back.body as Conversion).subjects).toEqual([{ source: target, target: travelSub }]);
  });

  it('a PPID of another source is not found in this one (no cross-sector guessing)', async () => {
    const res = await convert(ordersToken, { source_client_id: 'travel-web', subjects: [hotelSub, person.id] });
    expect((res.body as Conversion).subjects.map((s) => s.target)).toEqual([null, null]);
  });

  it('is refused without a permission for that pair: 403 conversion_not_permitted, also for unknown sources', async () => {
    for (const source of ['hotel-web', 'demo-web', 'no-such-client']) {
      const res = await convert(travelToken, { source_client_id: source, subjects: [hotelSub] });
      expect(res.status, source).toBe(403);
      expect(res.body.error).toBe('conversion_not_permitted');
    }
  });

  it('needs a valid token for the conversion API with its scope', async () => {
    const missing = await convert(undefined, { source_client_id: 'travel-web', subjects: [travelSub] });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const forAnotherApi = await convert(await clientCredentials('ordersApi', RESOURCE.orders(), 'orders:read'), { source_client_id: 'travel-web', subjects: [travelSub] });
    expect(forAnotherApi.status).toBe(401);
    expect(forAnotherApi.body.error).toBe('invalid_token');
    const garbage = await convert('not.a.token', { source_client_id: 'travel-web', subjects: [travelSub] });
    expect(garbage.status).toBe(401);
    const noScope = await convert(await clientCredentials('ordersApi', RESOURCE.ppid()), { source_client_id: 'travel-web', subjects: [travelSub] });
    expect(noScope.status).toBe(403);
    expect(noScope.body.error).toBe('insufficient_scope');
  });

  it('takes up to 1000 subjects; more, or a malformed body, is 400 invalid_request', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => (i === 500 ? travelSub : `unknown-${i}`));
    const ok = await convert(ordersToken, { source_client_id: 'travel-web', subjects: many });
    expect(ok.status).toBe(200);
    const results = (ok.body as Conversion).subjects;
    expect(results).toHaveLength(1000);
    expect(results.filter((s) => s.target !== null)).toEqual([{ source: travelSub, target: ordersSub }]);

    for (const body of [{ source_client_id: 'travel-web', subjects: [...many, 'one-more'] }, { source_client_id: 'travel-web', subjects: [] }, { subjects: [travelSub] }, { source_client_id: 'travel-web', subjects: [42] }]) {
      const res = await convert(ordersToken, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    }
  });

  it('a disabled account\'s PPIDs are not found', async () => {
    const dora = await createAccount('ppid-disabled', { region: 'JP' });
    const sub = (await signIn('travelWeb', dora)).claims()!.sub;
    expect(((await convert(ordersToken, { source_client_id: 'travel-web', subjects: [sub] })).body as Conversion).subjects[0]!.target).not.toBeNull();
    await runCli(['accounts', 'disable', '--id', dora.id]);
    expect(((await convert(ordersToken, { source_client_id: 'travel-web', subjects: [sub] })).body as Conversion).subjects[0]!.target).toBeNull();
  });
});
