import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { REGION_MISMATCH, regionAccessOf, regionPromptDetails, rememberRegionMismatch } from './region-control';
import { buildCreatePrompt, buildReadinessPrompt, type ReadinessOf } from './sign-up-prompts';

const { Check, Prompt, base } = interactionPolicy;

export const REGION_PROMPT = 'region';

/**
 * The prompts the provider evaluates on every authorization request, in order; the first with
 * a failing check stops the request and sends the browser to /interaction/<uid>:
 * 0. create (sign-up, before login): requested with prompt=create, resolved by a login result;
 * 1. login (library default): no session, max_age exceeded, id_token_hint for someone else…;
 * 2. region (ours): the signed-in account's region is not one of the client's
 *    supported_regions, or differs from the app's `region` parameter (lib/domain/regions/
 *    region-access.ts). It fires with an existing SSO session too, so no code is ever issued;
 *    the interaction page answers the client with error=region_mismatch. With prompt=none the
 *    provider returns that error at once (the check's error code);
 * 2b. readiness (ours, lib/protocol/sign-up-prompts.ts): the account has sign-up steps left (a new
 *    required step, a new terms version); the page continues into a sign-up flow for them;
 * 3. consent (library default; first-party clients pass it through loadExistingGrant), except
 *    that a native client is asked to confirm only when its redirect does not prove which app
 *    it is (native_client_prompt, below).
 */
export function buildInteractionPolicy(readinessOf: ReadinessOf) {
  const policy = base();
  const region = new Prompt(
    { name: REGION_PROMPT, requestable: false },
    new Check(
      'region_not_supported',
      'the account region is not supported by this client',
      REGION_MISMATCH,
      (ctx: KoaContextWithOIDC) => {
        const access = regionAccessOf(ctx);
        if (!access || access.allowed) return Check.NO_NEED_TO_PROMPT;
        rememberRegionMismatch(ctx, access);
        return Check.REQUEST_PROMPT;
      },
      (ctx: KoaContextWithOIDC) => {
        const access = regionAccessOf(ctx);
        return access && !access.allowed ? regionPromptDetails(access) : undefined;
      },
    ),
  );
  const consentIndex = policy.findIndex((p) => p.name === 'consent');
  policy.add(region, consentIndex === -1 ? policy.length : consentIndex);
  // Sign-up (lib/protocol/sign-up-prompts.ts): prompt=create before everything else; readiness
  // (the account's region steps are all done) after region, before consent.
  policy.add(buildCreatePrompt(), 0);
  policy.add(buildReadinessPrompt(readinessOf), policy.findIndex((p) => p.name === 'consent'));
  replaceNativeClientCheck(policy.get('consent'));
  return policy;
}

/**
 * RFC 8252 §8.6: any app can register a private-use scheme or listen on the loopback
 * interface, so a code sent there may reach an impostor that started the request itself (PKCE
 * does not help then); such requests must not be answered silently. The library asks the
 * person to confirm for every native request. We ask only when the answer would otherwise be
 * silent, i.e. not when:
 * - the person just signed in for this very request (that was their interaction), or
 * - the redirect is a claimed https URL (universal / app link): the OS delivers it only to the
 *   app verified for that domain, so the client's identity is assured.
 * So SSO from the web into an app costs one "Continue", never a password.
 */
function replaceNativeClientCheck(consent: interactionPolicy.Prompt | undefined): void {
  if (!consent) return;
  const index = consent.checks.findIndex((c) => c.reason === 'native_client_prompt');
  if (index === -1) return;
  consent.checks.remove('native_client_prompt');
  consent.checks.add(
    new Check('native_client_prompt', 'native clients require End-User interaction', 'interaction_required', (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      if (oidc.client?.applicationType !== 'native' || oidc.params?.response_type === 'none') return Check.NO_NEED_TO_PROMPT;
      if (oidc.result?.consent || oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      return isClaimedHttpsRedirect(oidc.params?.redirect_uri) ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
    index,
  );
}

/** Native clients' https redirects are never loopback (the provider refuses those at registration). */
function isClaimedHttpsRedirect(redirectUri: unknown): boolean {
  return typeof redirectUri === 'string' && URL.parse(redirectUri)?.protocol === 'https:';
}
