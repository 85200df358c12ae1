import { isSpecialUseIP } from 'oidc-provider/lib/helpers/fetch_request.js';
import { type InternalNetworks, isInternalAddress } from '../config/schema/internal-networks';

/**
 * oidc-provider's outgoing requests (back-channel logout tokens, client JWKS) with its SSRF
 * guard kept for everyone except the networks and hosts idp.config.yaml declares internal:
 * 1. a declared host name connects wherever it resolves;
 * 2. any other host connects unless the socket lands on a special-use address (oidc-provider's
 *    own list) outside the declared networks — checked on the connected socket, as the guard
 *    does, so a DNS answer cannot slip past it.
 */

type DispatcherLike = { on(event: 'connect', listener: (origin: URL, targets: unknown[]) => void): unknown };
type DispatcherClass = new () => DispatcherLike;
type FetchOptions = RequestInit & { dispatcher?: DispatcherLike };

function socketOf(target: unknown): { remoteAddress?: string; destroy(error: Error): void } | undefined {
  if (target === null || typeof target !== 'object') return undefined;
  const symbol = Object.getOwnPropertySymbols(target).find((s) => s.description === 'socket');
  return symbol ? (target as Record<symbol, { remoteAddress?: string; destroy(error: Error): void } | undefined>)[symbol] : undefined;
}

function guardedDispatcher(Agent: DispatcherClass, networks: InternalNetworks): DispatcherLike {
  const dispatcher = new Agent();
  dispatcher.on('connect', (origin, targets) => {
    if (networks.hosts.has(origin.hostname.toLowerCase())) return;
    const socket = socketOf(targets[targets.length - 1]);
    const address = socket?.remoteAddress;
    if (!socket || address === undefined || isInternalAddress(networks, address) || !isSpecialUseIP(address)) return;
    socket.destroy(new Error(`${origin.host} resolves to ${address}, a special-use address not declared in internal_networks`));
  });
  return dispatcher;
}

/** The `fetch` option of the provider configuration. */
export function createOutgoingFetch(networks: InternalNetworks): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  if (networks.hosts.size === 0 && networks.addresses.rules.length === 0) return (input, init) => globalThis.fetch(input, init);
  let dispatcher: DispatcherLike | undefined;
  return (input, init) => {
    const options = init as FetchOptions | undefined;
    // The provider hands us its guarded dispatcher (an undici Agent); ours is one of the same kind.
    if (options?.dispatcher) options.dispatcher = dispatcher ??= guardedDispatcher(options.dispatcher.constructor as DispatcherClass, networks);
    return globalThis.fetch(input, options);
  };
}
