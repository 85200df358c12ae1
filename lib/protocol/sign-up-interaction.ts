import { ACR } from '../domain/assurance/assurance-levels';
import type { ProviderSource } from './interactions';

/**
 * The OIDC side of sign-up flows. A flow is bound to its interaction when it starts, on a request
 * that carries the interaction's cookie (findInteraction); it finishes the interaction later from
 * /api/flows/<id>, whose path does not receive that cookie, so these helpers go by uid
 * (shared/design.md §5: Interaction.find, set result, save for the remaining ttl). The resume
 * endpoint still checks the browser's signed resume cookie.
 */

export type InteractionByUid = { uid: string; clientId: string; params: Record<string, unknown>; promptName: string };
export type InteractionOutcome = { accountId: string; amr?: string[]; acr?: string } | { error: 'access_denied'; description: string };

/** The interaction by uid (no cookie): its client and authorization parameters, or null when gone. */
async function findInteractionByUid(getProvider: ProviderSource, uid: string): Promise<InteractionByUid | null> {
  const provider = await getProvider();
  const interaction = await provider.Interaction.find(uid);
  if (!interaction || interaction.result) return null;
  return { uid, clientId: String(interaction.params.client_id ?? ''), params: interaction.params as Record<string, unknown>, promptName: interaction.prompt.name };
}

/** Regions the client serves (supported_regions), or null when it is unknown. */
async function clientRegionsOf(getProvider: ProviderSource, clientId: string): Promise<string[] | null> {
  const provider = await getProvider();
  const client = await provider.Client.find(clientId);
  const regions = (client as unknown as { supported_regions?: unknown } | undefined)?.supported_regions;
  return Array.isArray(regions) ? regions.filter((r): r is string => typeof r === 'string') : null;
}

/**
 * Finishes the interaction: a login of the new (or now ready) account with one factor
 * (acr urn:meridian:aal1; amr pwd unless `amr` says how else, e.g. fed for a social sign-in), or
 * an access_denied error. Returns the URL that resumes the authorization request; null when the
 * interaction expired.
 */
async function finishInteractionByUid(getProvider: ProviderSource, uid: string, outcome: InteractionOutcome): Promise<string | null> {
  const provider = await getProvider();
  const interaction = await provider.Interaction.find(uid);
  if (!interaction) return null;
  const remaining = (interaction.exp ?? 0) - Math.floor(Date.now() / 1000);
  if (remaining <= 0) return null;
  interaction.result =
    'accountId' in outcome
      ? { login: { accountId: outcome.accountId, acr: outcome.acr ?? ACR.aal1, amr: outcome.amr ?? ['pwd'], remember: true } }
      : { error: outcome.error, error_description: outcome.description };
  await interaction.save(remaining);
  return interaction.returnTo;
}

/** The interaction helpers by uid, bound to the provider. */
export type SignUpInteractions = {
  findByUid(uid: string): Promise<InteractionByUid | null>;
  clientRegionsOf(clientId: string): Promise<string[] | null>;
  finishByUid(uid: string, outcome: InteractionOutcome): Promise<string | null>;
};

export function createSignUpInteractions(getProvider: ProviderSource): SignUpInteractions {
  return {
    findByUid: (uid) => findInteractionByUid(getProvider, uid),
    clientRegionsOf: (clientId) => clientRegionsOf(getProvider, clientId),
    finishByUid: (uid, outcome) => finishInteractionByUid(getProvider, uid, outcome),
  };
}
