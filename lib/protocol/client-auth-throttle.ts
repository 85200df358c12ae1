import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { FailureLimiter, LockState } from '../domain/sign-in/lockout';

/**
 * Client authentication is throttled like sign-in, with the same failure limiter (counters in
 * the database, lockout with exponential back-off; lib/domain/sign-in/lockout.ts).
 * Rules:
 * 1. every failed client authentication (invalid_client at the token, introspection,
 *    revocation, PAR, CIBA and device endpoints) counts against the IP and, when it names a
 *    configured client, against that client id; the count is written before the answer leaves;
 * 2. while the client id or the IP is locked, a client secret is not even compared: the answer
 *    is 401 `invalid_client` (RFC 6749 §5.2, what every client library already handles) with
 *    `Retry-After` and a description saying why — the same whether the secret was right or not;
 * 3. a success resets nothing: an attacker interleaving guesses with the real client's requests
 *    would otherwise never be locked; failures age out with the window.
 * Secrets are what can be guessed, so the lock is enforced where a secret is compared
 * (client_secret_basic / client_secret_post); signed assertions are not guessable.
 */

export type ClientAuthLimiters = { perClient: FailureLimiter; perIp: FailureLimiter };

const ERROR_EVENTS = [
  'grant.error',
  'introspection.error',
  'revocation.error',
  'pushed_authorization_request.error',
  'backchannel_authentication.error',
  'device_authorization.error',
] as const;

const clientKey = (clientId: string) => `clientauth:client:${clientId}`;
const ipKey = (ip: string) => `clientauth:ip:${ip}`;

/** The answer while locked; never counted as another failure. */
class ClientAuthThrottled extends errors.InvalidClientAuth {
  constructor(retryAfterSeconds: number) {
    super(`client authentication locked for ${retryAfterSeconds} s`);
    this.error_description = 'too many failed client authentications: try again later';
  }
}

const UNLOCKED: LockState = { locked: false };

export function installClientAuthThrottle(provider: Provider, limiters: ClientAuthLimiters): void {
  const recording = new WeakMap<object, Promise<void>>();

  async function recordFailure(ctx: KoaContextWithOIDC): Promise<void> {
    const clientId = ctx.oidc?.client?.clientId;
    try {
      await Promise.all([limiters.perIp.recordFailure(ipKey(ctx.ip)), clientId ? limiters.perClient.recordFailure(clientKey(clientId)) : undefined]);
    } catch (e) {
      console.error('[oidc] client authentication failure not counted', e);
    }
  }

  for (const event of ERROR_EVENTS) {
    // Every *.error event has the same (ctx, error) signature; the cast picks one overload.
    provider.on(event as 'grant.error', (ctx: KoaContextWithOIDC, error: unknown) => {
      if (error instanceof errors.InvalidClientAuth && !(error instanceof ClientAuthThrottled)) recording.set(ctx, recordFailure(ctx));
    });
  }

  // Rule 1: the failure is counted before the client reads the answer (a sequential guesser is
  // held to exactly the limit).
  provider.use(async (ctx, next) => {
    await next();
    await recording.get(ctx);
  });

  // Rule 2. oidc-provider has no hook between finding the client and comparing its secret;
  // wrapping the comparison (on this provider's own Client class) is the narrowest place, and
  // Provider.ctx (the library's AsyncLocalStorage) gives the request it belongs to.
  const proto = provider.Client.prototype;
  const compareClientSecret = proto.compareClientSecret;
  proto.compareClientSecret = async function compareUnlessLocked(this: InstanceType<Provider['Client']>, actual: string) {
    const ctx = Provider.ctx;
    const [byClient, byIp] = await Promise.all([limiters.perClient.check(clientKey(this.clientId)), ctx ? limiters.perIp.check(ipKey(ctx.ip)) : UNLOCKED]);
    const lock = byClient.locked ? byClient : byIp;
    if (lock.locked) {
      ctx?.set('Retry-After', String(lock.retryAfterSeconds));
      throw new ClientAuthThrottled(lock.retryAfterSeconds);
    }
    return compareClientSecret.call(this, actual);
  };
}
