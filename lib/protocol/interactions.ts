import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { getEnv } from '../config/env';
import { toNodePair } from './bridge';

/** Where the process-wide provider comes from (the composition root). */
export type ProviderSource = () => Promise<Provider>;

export type InteractionView = {
  uid: string;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  params: Record<string, unknown>;
  clientId: string;
  clientName: string;
  accountId: string | undefined;
  grantId: string | undefined;
  returnTo: string;
};

/** A Node req/res pair carrying the browser's cookies, for the provider's interaction helpers. */
function cookieBoundPair(uid: string, cookieHeader: string | null) {
  const url = `${getEnv().publicUrl.origin}/interaction/${encodeURIComponent(uid)}`;
  return toNodePair(new Request(url, { headers: cookieHeader ? { cookie: cookieHeader } : {} }));
}

/** The (still unverified) value of the provider's `_interaction` cookie. */
function interactionCookieValue(cookieHeader: string | null): string | undefined {
  const pair = cookieHeader?.split(/;\s*/).find((c) => c.startsWith('_interaction='));
  return pair ? decodeURIComponent(pair.slice('_interaction='.length)) : undefined;
}

/**
 * The interaction `uid` if this browser owns it (its signed `_interaction` cookie names it),
 * else null: an expired, finished or foreign interaction.
 */
async function findInteraction(getProvider: ProviderSource, uid: string, cookieHeader: string | null): Promise<InteractionView | null> {
  const provider = await getProvider();
  const { req, res } = cookieBoundPair(uid, cookieHeader);
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return null;
    const clientId = String(details.params.client_id ?? '');
    const client = await provider.Client.find(clientId);
    return {
      uid: details.uid,
      prompt: details.prompt as InteractionView['prompt'],
      params: details.params as Record<string, unknown>,
      clientId,
      clientName: client?.clientName ?? clientId,
      accountId: details.session?.accountId,
      grantId: details.grantId,
      returnTo: details.returnTo,
    };
  } catch (e) {
    if (e instanceof Error && e.name === 'SessionNotFound') return null;
    throw e;
  }
}

/** Stores the result and returns the URL that resumes the authorization request. */
async function finishInteraction(getProvider: ProviderSource, uid: string, cookieHeader: string | null, result: InteractionResults): Promise<string | null> {
  // The provider checks the cookie's signature and loads the interaction itself; comparing the
  // cookie's value with the uid first spares a second load of the interaction and its session.
  if (interactionCookieValue(cookieHeader) !== uid) return null;
  const provider = await getProvider();
  const { req, res } = cookieBoundPair(uid, cookieHeader);
  try {
    return await provider.interactionResult(req, res, result, { mergeWithLastSubmission: false });
  } catch (e) {
    if (e instanceof Error && e.name === 'SessionNotFound') return null;
    throw e;
  }
}

/** Grants what the consent prompt found missing, for the signed-in account. */
async function grantMissingConsent(getProvider: ProviderSource, view: InteractionView): Promise<string> {
  const provider = await getProvider();
  const details = view.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  const existing = view.grantId ? await provider.Grant.find(view.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId: view.accountId, clientId: view.clientId });
  if (details.missingOIDCScope?.length) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

/** The interaction helpers a page or route uses, bound to the provider. */
export type Interactions = {
  /** The interaction `uid` if this browser owns it (its signed `_interaction` cookie names it), else null. */
  find(uid: string, cookieHeader: string | null): Promise<InteractionView | null>;
  /** Stores the result; the URL that resumes the authorization request, null when gone. */
  finish(uid: string, cookieHeader: string | null, result: InteractionResults): Promise<string | null>;
  /** Grants what the consent prompt found missing; the grant id. */
  grantMissingConsent(view: InteractionView): Promise<string>;
};

export function createInteractions(getProvider: ProviderSource): Interactions {
  return {
    find: (uid, cookieHeader) => findInteraction(getProvider, uid, cookieHeader),
    finish: (uid, cookieHeader, result) => finishInteraction(getProvider, uid, cookieHeader, result),
    grantMissingConsent: (view) => grantMissingConsent(getProvider, view),
  };
}
