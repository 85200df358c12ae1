import { type APIRequestContext, expect } from '@playwright/test';

/** Passwords the journeys choose: a long passphrase zxcvbn rates strong, and one from the common-password list (≥ 15 characters). */
export const STRONG_PASSWORD = 'tea kettle orbit 7 lantern';
export const COMMON_PASSWORD = '1qaz2wsx3edc4rfv';

/**
 * The demo app's authorization request (its state, nonce and PKCE are sealed in a cookie of
 * this browser context), with extra parameters a client may add: prompt=create, ui_locales,
 * region… The browser then opens it like a redirect from the app.
 */
export async function demoAuthorizationUrl(request: APIRequestContext, baseURL: string, extra: Record<string, string>): Promise<string> {
  const start = await request.get('/demo/login', { maxRedirects: 0 });
  expect(start.status(), 'the demo app redirects to Meridian ID').toBe(303);
  const url = new URL(start.headers().location ?? '', baseURL);
  expect(url.pathname).toBe('/oidc/auth');
  for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
  return url.href;
}
