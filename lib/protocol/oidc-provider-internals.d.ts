// oidc-provider 9 has no `exports` map; these are the two internals we reuse rather than copy.

declare module 'oidc-provider/lib/helpers/fetch_request.js' {
  /** Loopback, private, link-local and other special-use addresses (its SSRF guard's list). */
  export function isSpecialUseIP(address: string): boolean;
}

declare module 'oidc-provider/lib/actions/end_session.js' {
  import type { KoaContextWithOIDC } from 'oidc-provider';
  /** POST /session/end/confirm as a pipeline; its last step ends the session and redirects. */
  export const confirm: ((ctx: KoaContextWithOIDC, next?: () => Promise<void>) => Promise<void>)[];
}
