import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSpecialUseIP } from 'oidc-provider/lib/helpers/fetch_request.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInternalNetworks } from '../config/schema/internal-networks';
import { createOutgoingFetch } from './outgoing-fetch';

const servers: Server[] = [];

async function listen(host: string): Promise<string> {
  const server = createServer((_req, res) => res.end('ok'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}/`;
}

/** The kind of dispatcher oidc-provider hands to `fetch`: an undici Agent (Node's own fetch). */
function providerLikeDispatcher(): object {
  const global = globalThis as Record<symbol, { constructor: new () => object } | undefined>;
  const Agent = global[Symbol.for('undici.globalDispatcher.1')]?.constructor;
  if (!Agent) throw new Error('no undici global dispatcher');
  return new Agent();
}

let declared: string;
let undeclared: string;

beforeAll(async () => {
  [declared, undeclared] = await Promise.all([listen('127.0.0.1'), listen('127.0.0.2')]);
  await (await fetch(declared)).text();
});

afterAll(() => {
  for (const server of servers) server.close();
});

describe('outgoing fetch', () => {
  it('keeps oidc-provider\'s list of special-use addresses', () => {
    expect(isSpecialUseIP('127.0.0.1')).toBe(true);
    expect(isSpecialUseIP('10.1.2.3')).toBe(true);
    expect(isSpecialUseIP('8.8.8.8')).toBe(false);
  });

  it('connects to a declared internal network and refuses another special-use address', async () => {
    const outgoing = createOutgoingFetch(buildInternalNetworks(['127.0.0.1/32']));
    const ok = await outgoing(declared, { dispatcher: providerLikeDispatcher() } as RequestInit);
    expect(await ok.text()).toBe('ok');
    const refused = outgoing(undeclared, { dispatcher: providerLikeDispatcher() } as RequestInit);
    await expect(refused).rejects.toMatchObject({ cause: { message: expect.stringMatching(/127\.0\.0\.2.*not declared in internal_networks/) } });
  });

  it('lets a declared host name connect wherever it resolves; undeclared, the same host is refused', async () => {
    // Listening on every address, so `localhost` connects whether it resolves to ::1 or 127.0.0.1.
    const url = (await listen('::')).replace('http://::', 'http://localhost');
    const byName = createOutgoingFetch(buildInternalNetworks(['localhost']));
    expect(await (await byName(url, { dispatcher: providerLikeDispatcher() } as RequestInit)).text()).toBe('ok');
    const otherName = createOutgoingFetch(buildInternalNetworks(['backchannel.internal']));
    await expect(otherName(url, { dispatcher: providerLikeDispatcher() } as RequestInit)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/not declared in internal_networks/) },
    });
  });
});
