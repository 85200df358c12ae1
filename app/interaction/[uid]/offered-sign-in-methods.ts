import { getIdpConfig } from '@/lib/config/idp-config';
import { isLocalSignInMethod } from '@/lib/config/schema/sign-in-methods';
import { isConfiguredSocialProvider } from '@/lib/config/schema/social-providers';
import { parseRegionHint } from '@/lib/domain/regions/region-access';
import { resolveSignInRegion } from '@/lib/domain/regions/sign-in-region';
import type { InteractionView } from '@/lib/protocol/interactions';

export type SignInMethods = {
  /** The region whose methods these are; undefined when the configuration has no region. */
  region: string | undefined;
  /** Regions the person may pick (the client's, in configuration order). */
  choices: string[];
  password: boolean;
  /** Passwordless sign-in with a code by email. */
  emailCode: boolean;
  /** Configured social (upstream OpenID Connect) provider ids, in the region's order. */
  social: string[];
};

/** The sign-in methods the page shows for this interaction and the person's chosen region. */
export function signInMethodsFor(view: Pick<InteractionView, 'clientId' | 'params'>, chosenRegion: string | undefined): SignInMethods {
  const config = getIdpConfig();
  const client = config.clients.find((c) => c.client_id === view.clientId);
  let hinted: string | undefined;
  try {
    hinted = parseRegionHint(view.params.region);
  } catch {
    hinted = undefined;
  }
  const resolved = resolveSignInRegion({
    configuredRegions: config.regions.map((r) => r.code),
    clientRegions: client?.supported_regions ?? [],
    chosen: chosenRegion,
    hinted,
  });
  const policy = resolved ? config.regions.find((r) => r.code === resolved.code) : undefined;
  // No region configured at all: password only, as before regions had sign-in methods.
  const methods = policy?.signin_methods ?? ['password'];
  return {
    region: resolved?.code,
    choices: resolved?.choices ?? [],
    password: methods.includes('password'),
    emailCode: methods.includes('email_code'),
    // A provider without credentials (client id) would only fail: its button is not shown.
    social: methods.filter((m) => !isLocalSignInMethod(m) && config.social_providers.some((p) => p.id === m && isConfiguredSocialProvider(p))),
  };
}
