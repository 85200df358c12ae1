import { getIdpConfig } from '../config/idp-config';
import { isConfiguredSocialProvider, type SocialProviderConfig } from '../config/schema/social-providers';
import type { UpstreamSignInDeps } from '../domain/sign-in/upstream-sign-in';
import { prismaAccountRepository } from './db/prisma-account-repository';
import { upstreamIdentityStore } from './db/upstream-identity-store';

/** Wires social sign-in to the database. */
export function getUpstreamSignInDeps(): UpstreamSignInDeps {
  return { identities: upstreamIdentityStore, accounts: prismaAccountRepository };
}

/** A configured (has a client id) social provider by id, or null. */
export function findSocialProvider(id: string): SocialProviderConfig | null {
  const provider = getIdpConfig().social_providers.find((p) => p.id === id);
  return provider && isConfiguredSocialProvider(provider) ? provider : null;
}
