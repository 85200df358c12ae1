import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CLIENT_IP_HEADER, CLIENT_IP_PROOF_HEADER, findClientIpSecret } from './client-ip-stamp.mjs';

let secretBytes: { secret: string; bytes: Buffer } | undefined;

function headerOf(headers: Headers | IncomingHttpHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
}

/** Whether `proof` is this process's boot secret, compared in constant time. */
function verifyProof(proof: string | undefined): boolean {
  const secret = findClientIpSecret();
  if (!secret || proof === undefined) return false;
  if (secretBytes?.secret !== secret) secretBytes = { secret, bytes: Buffer.from(secret) };
  const given = Buffer.from(proof);
  return given.length === secretBytes.bytes.length && timingSafeEqual(given, secretBytes.bytes);
}

/**
 * The client's IP address as decided where the request came in (lib/http/client-ip-stamp.mjs):
 * the one way every route handler, page and the provider learn it. A header without this boot's
 * secret (a client sent it, or nothing stamped the request) is not believed: 'unknown' then.
 */
export function clientIpFrom(headers: Headers | IncomingHttpHeaders): string {
  if (!verifyProof(headerOf(headers, CLIENT_IP_PROOF_HEADER))) return 'unknown';
  return headerOf(headers, CLIENT_IP_HEADER) ?? 'unknown';
}
