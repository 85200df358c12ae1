/**
 * Which region's sign-in methods the sign-in page shows (issue 4 §1). Rules, first match wins:
 * 1. the person's choice (the region picker, remembered in a cookie), if the client serves it;
 * 2. the client's `region` authorization parameter, if the client serves it;
 * 3. the client's only supported region;
 * 4. the default: the first region of the configuration the client serves (JP in the demo).
 * A region no configuration entry names is never chosen.
 */

export type SignInRegionSource = 'choice' | 'hint' | 'client' | 'default';

export type SignInRegionInput = {
  /** Region codes in configuration order. */
  configuredRegions: readonly string[];
  /** The client's supported_regions (empty: every configured region). */
  clientRegions: readonly string[];
  chosen: string | undefined;
  hinted: string | undefined;
};

export type SignInRegion = { code: string; source: SignInRegionSource; choices: string[] };

export function resolveSignInRegion({ configuredRegions, clientRegions, chosen, hinted }: SignInRegionInput): SignInRegion | undefined {
  const choices = clientRegions.length > 0 ? configuredRegions.filter((r) => clientRegions.includes(r)) : [...configuredRegions];
  const serves = (code: string | undefined): code is string => code !== undefined && choices.includes(code);
  const rules: [SignInRegionSource, () => string | undefined][] = [
    ['choice', () => chosen],
    ['hint', () => hinted],
    ['client', () => (choices.length === 1 ? choices[0] : undefined)],
    ['default', () => choices[0]],
  ];
  for (const [source, pick] of rules) {
    const code = pick();
    if (serves(code)) return { code, source, choices };
  }
  return undefined;
}
