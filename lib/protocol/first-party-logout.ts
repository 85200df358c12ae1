import type { KoaContextWithOIDC } from 'oidc-provider';
import { confirm } from 'oidc-provider/lib/actions/end_session.js';
import { isFirstParty } from './client-metadata';

/**
 * RP-initiated logout without the confirmation page. Rules:
 * 1. the client asking is first party;
 * 2. it sent an id_token_hint (oidc-provider has already verified its signature and that its
 *    audience is this client before the page would render);
 * 3. the hint names this session: the session holds an authorization for the client, the hint's
 *    `sub` is the session account's subject at that client, and its `sid`, when present, is the
 *    session's sid for the client.
 * Everything else — third parties, no hint, another person's hint — keeps the page.
 */

/** The `sub` the client knows the account by (its PPID for a pairwise client). */
export type SubjectFor = (accountId: string, client: { clientId: string; subjectType?: string }) => Promise<string>;

export async function verifyHintMatchesSession(ctx: KoaContextWithOIDC, subjectFor: SubjectFor): Promise<boolean> {
  const { client, session, entities } = ctx.oidc;
  const hint = entities.IdTokenHint?.payload;
  if (!client || !hint || !session?.accountId) return false;
  if (!isFirstParty(client as unknown as { clientId: string })) return false;
  if (!session.authorizations?.[client.clientId]) return false;
  if (hint.sid !== undefined && hint.sid !== session.sidFor(client.clientId)) return false;
  return hint.sub === (await subjectFor(session.accountId, client));
}

/**
 * Ends the session as the confirmation's "Log out" button would, answering with the provider's
 * own 303 (back-channel logout, grant revocation, post_logout_redirect_uri and state included):
 * its last confirm step runs on this request, whose session state the logout step just prepared.
 */
export async function endSessionWithoutConfirmation(ctx: KoaContextWithOIDC): Promise<void> {
  const params = ctx.oidc.params as Record<string, unknown>;
  params.logout = 'yes';
  const endSession = confirm[confirm.length - 1]!;
  await endSession(ctx);
}
