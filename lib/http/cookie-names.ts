import { getEnv } from '../config/env';
import { LOCALE_COOKIE } from '../i18n/locales';

/**
 * Our cookies that are scoped to the whole site (Path=/) carry the `__Host-` prefix when the
 * server is public over https: browsers then accept them only with Secure, Path=/ and no Domain,
 * so neither a sibling subdomain nor a plain-http page can set or shadow them. Over http (local
 * development, tests) browsers would refuse the prefix, so the plain name is used.
 */
export function hostCookieName(name: string): string {
  return getEnv().publicUrl.protocol === 'https:' ? `__Host-${name}` : name;
}

/** `; Secure` when the public URL is https (required by the prefix, right for every cookie then). */
export function secureAttribute(): string {
  return getEnv().publicUrl.protocol === 'https:' ? '; Secure' : '';
}

/** The language switcher's cookie as this server names it. */
export function localeCookieName(): string {
  return hostCookieName(LOCALE_COOKIE);
}
