import { describe, expect, it } from 'vitest';
import { buildInternalNetworks, internalNetworksSchema, isInternalAddress } from './internal-networks';

function issues(entries: string[]): string[] {
  const result = internalNetworksSchema.safeParse(entries);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('internal_networks', () => {
  it('accepts CIDRs, single addresses and host names', () => {
    expect(issues(['10.0.0.0/8', '127.0.0.1', 'fd00::/8', '::1', 'localhost', 'orders.svc.cluster.local'])).toEqual([]);
  });

  it('names each bad entry, and refuses /0 (it would switch the SSRF guard off)', () => {
    expect(issues(['10.0.0.0/33', 'not a host', '0.0.0.0/0', '::/0', '10.0.0.0/8/1', 'http://internal'])).toEqual([
      '0: "10.0.0.0/33": prefix length must be 0–32',
      '1: "not a host": must be a CIDR (10.0.0.0/8), an IP address or a host name',
      '2: "0.0.0.0/0": a /0 network would allow every address: list the internal networks',
      '3: "::/0": a /0 network would allow every address: list the internal networks',
      '4: "10.0.0.0/8/1": prefix length must be 0–32',
      '5: "http://internal": must be a CIDR (10.0.0.0/8), an IP address or a host name',
    ]);
  });

  it('matches addresses inside the declared networks only, IPv4-mapped IPv6 included', () => {
    const networks = buildInternalNetworks(['127.0.0.1/32', '10.1.0.0/16', 'fd00::/8', 'Backchannel.Internal']);
    expect(isInternalAddress(networks, '127.0.0.1')).toBe(true);
    expect(isInternalAddress(networks, '::ffff:127.0.0.1')).toBe(true);
    expect(isInternalAddress(networks, '127.0.0.2')).toBe(false);
    expect(isInternalAddress(networks, '10.1.255.3')).toBe(true);
    expect(isInternalAddress(networks, '10.2.0.1')).toBe(false);
    expect(isInternalAddress(networks, 'fd12::1')).toBe(true);
    expect(isInternalAddress(networks, '::1')).toBe(false);
    expect(networks.hosts.has('backchannel.internal')).toBe(true);
  });
});
