/**
 * Which browser origins may call the token, introspection, revocation and userinfo endpoints
 * for a client (oidc-provider's clientBasedCORS). Rules:
 * 1. only the web (http/https) origins of the client's own redirect_uris;
 * 2. never `null`: a custom-scheme redirect URI (`com.example.app:/cb`) has the opaque origin
 *    `null`, which is also what sandboxed iframes and `data:` pages send, so matching it would
 *    let any such page read the client's token responses;
 * 3. the same for every other endpoint and for preflights, which oidc-provider answers by
 *    echoing any Origin before it knows the client (withoutNullOrigin, a provider middleware).
 */


type CorsClient = { redirectUris?: readonly string[] | undefined };

/** The http(s) origin of a redirect URI; undefined for custom schemes and malformed values. */
function webOriginOf(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

export function isClientCorsOrigin(origin: string, client: CorsClient): boolean {
  if (origin === 'null') return false;
  return (client.redirectUris ?? []).some((uri) => webOriginOf(uri) === origin);
}

/** Provider middleware: no response ever carries `Access-Control-Allow-Origin: null`. */
export async function withoutNullOrigin(ctx: { get(field: string): string; remove(field: string): void }, next: () => Promise<unknown>): Promise<void> {
  try {
    await next();
  } finally {
    if (ctx.get('origin') === 'null') ctx.remove('Access-Control-Allow-Origin');
  }
}
