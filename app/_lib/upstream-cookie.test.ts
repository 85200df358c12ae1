import { beforeAll, describe, expect, it, vi } from 'vitest';

// A server public over https (the environment is read once, on first use in this file).
beforeAll(() => {
  vi.stubEnv('PUBLIC_URL', 'https://id.example');
});

describe('the social sign-in state cookie over https', () => {
  it('is __Host- prefixed: Secure, Path=/, no Domain', async () => {
    const { upstreamCookie } = await import('./upstream-cookie');
    const set = upstreamCookie('A'.repeat(43));
    expect(set).toBe(`__Host-meridian_upstream=${'A'.repeat(43)}; Path=/; Max-Age=600; HttpOnly; SameSite=Lax; Secure`);
    expect(upstreamCookie(null)).toBe('__Host-meridian_upstream=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
  });

  it('a state planted under the plain name (by a subdomain or an http page) is not read', async () => {
    const { upstreamStateFrom } = await import('./upstream-cookie');
    expect(upstreamStateFrom(`meridian_upstream=${'B'.repeat(43)}`)).toBeNull();
    expect(upstreamStateFrom(`meridian_upstream=${'B'.repeat(43)}; __Host-meridian_upstream=${'C'.repeat(43)}`)).toBe('C'.repeat(43));
  });
});
