import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

/**
 * `internal_networks`: where the server may send back-channel requests (logout tokens, JWKS
 * fetches) although the address is loopback or private. Rules:
 * 1. an entry is a CIDR (`10.0.0.0/8`, `fd00::/8`), a single address, or a host name;
 * 2. a CIDR admits any host whose connection lands inside it; a host name admits that host only;
 * 3. a zero-length prefix is refused: it would switch the SSRF guard off for every address.
 */

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export type InternalNetworks = { hosts: ReadonlySet<string>; addresses: BlockList };

type ParsedEntry = { kind: 'host'; host: string } | { kind: 'subnet'; address: string; prefix: number; family: 'ipv4' | 'ipv6' };

function parseEntry(entry: string): ParsedEntry | string {
  const [address = '', prefixText, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0) {
    if (prefixText !== undefined || !HOST_NAME.test(entry)) return 'must be a CIDR (10.0.0.0/8), an IP address or a host name';
    return { kind: 'host', host: entry.toLowerCase() };
  }
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (rest.length > 0 || !/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max) return `prefix length must be 0–${max}`;
  if (prefix === 0) return 'a /0 network would allow every address: list the internal networks';
  return { kind: 'subnet', address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export const internalNetworksSchema = z
  .array(
    z.string().superRefine((entry, ctx) => {
      const parsed = parseEntry(entry);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: `"${entry}": ${parsed}` });
    }),
  )
  .default([]);

/** The declared networks in the form the outgoing-request guard checks (entries already validated). */
export function buildInternalNetworks(entries: readonly string[]): InternalNetworks {
  const hosts = new Set<string>();
  const addresses = new BlockList();
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (typeof parsed === 'string') throw new Error(`internal_networks: ${parsed}`);
    if (parsed.kind === 'host') hosts.add(parsed.host);
    else addresses.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return { hosts, addresses };
}

/** True when `address` (as a socket reports it) lies in a declared network. */
export function isInternalAddress(networks: InternalNetworks, address: string): boolean {
  const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const version = isIP(plain);
  if (version === 0) return false;
  return networks.addresses.check(plain, version === 4 ? 'ipv4' : 'ipv6');
}
