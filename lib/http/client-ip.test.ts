import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientIpFrom } from './client-ip';
import { CLIENT_IP_HEADER, CLIENT_IP_PROOF_HEADER, bootClientIpSecret, clientIpStamp } from './client-ip-stamp.mjs';

function nodeRequest(peer: string, headers: Record<string, string>): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: peer });
  return { socket, headers: { ...headers } } as unknown as IncomingMessage;
}

describe('clientIpFrom', () => {
  it('believes the header only next to this boot secret', () => {
    const secret = bootClientIpSecret();
    expect(clientIpFrom(new Headers({ [CLIENT_IP_HEADER]: '192.0.2.1', [CLIENT_IP_PROOF_HEADER]: secret }))).toBe('192.0.2.1');
    expect(clientIpFrom({ [CLIENT_IP_HEADER]: '192.0.2.1', [CLIENT_IP_PROOF_HEADER]: secret })).toBe('192.0.2.1');
  });

  it('ignores a header sent without the secret or with another one', () => {
    expect(clientIpFrom(new Headers({ [CLIENT_IP_HEADER]: '192.0.2.1' }))).toBe('unknown');
    expect(clientIpFrom(new Headers({ [CLIENT_IP_HEADER]: '192.0.2.1', [CLIENT_IP_PROOF_HEADER]: 'guess' }))).toBe('unknown');
    expect(clientIpFrom({ [CLIENT_IP_HEADER]: '192.0.2.1', [CLIENT_IP_PROOF_HEADER]: `${bootClientIpSecret()}x` })).toBe('unknown');
  });
});

describe('clientIpStamp', () => {
  it('replaces what the client sent with the socket peer, forwarding headers removed', () => {
    const req = nodeRequest('::ffff:198.51.100.9', { [CLIENT_IP_HEADER]: '192.0.2.1', [CLIENT_IP_PROOF_HEADER]: 'guess', 'x-forwarded-for': '192.0.2.2', forwarded: 'for=192.0.2.3', 'x-real-ip': '192.0.2.4' });
    clientIpStamp([])(req);
    expect(clientIpFrom(req.headers)).toBe('198.51.100.9');
    expect(Object.keys(req.headers).sort()).toEqual([CLIENT_IP_HEADER, CLIENT_IP_PROOF_HEADER].sort());
  });

  it('behind a trusted proxy, takes the right-most address that is not one', () => {
    const req = nodeRequest('10.0.0.2', { 'x-forwarded-for': '192.0.2.66, 203.0.113.5, 10.0.0.1' });
    clientIpStamp(['10.0.0.1', '10.0.0.2'])(req);
    expect(clientIpFrom(req.headers)).toBe('203.0.113.5');
  });
});
