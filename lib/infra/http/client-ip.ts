/** Set by server.mjs from the socket (or a trusted proxy); any client-sent copy is removed there. */
export const CLIENT_IP_HEADER = 'x-meridian-client-ip';

export function clientIpFrom(headers: Headers): string {
  return headers.get(CLIENT_IP_HEADER) ?? 'unknown';
}
