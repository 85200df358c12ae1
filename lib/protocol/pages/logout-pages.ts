import type { KoaContextWithOIDC } from 'oidc-provider';
import { getTranslator } from '../../i18n/translator';
import { endSessionWithoutConfirmation, verifyHintMatchesSession, type SubjectFor } from '../first-party-logout';
import { escapeHtml, renderHtmlPage } from './html-page';
import { pageLocale } from './page-locale';

/**
 * The RP-initiated logout step: a first-party client whose id_token_hint names this session
 * is answered at once with the provider's 303 (first-party-logout.ts); anyone else sees the
 * confirmation page.
 */
export function createLogoutSource(subjectFor: SubjectFor) {
  return async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
    if (await verifyHintMatchesSession(ctx, subjectFor)) {
      await endSessionWithoutConfirmation(ctx);
      return;
    }
    renderConfirmation(ctx, form);
  };
}

/** The confirmation page; `form` is the provider's hidden xsrf form. */
function renderConfirmation(ctx: KoaContextWithOIDC, form: string): void {
  const locale = pageLocale(ctx);
  const t = getTranslator(locale);
  const client = ctx.oidc.client?.clientName;
  const body = `<h1>${escapeHtml(t('logout.title'))}</h1>
${client ? `<p>${escapeHtml(t('logout.fromClient', { client }))}</p>` : ''}
<p>${escapeHtml(t('logout.question'))}</p>
${form}
<div class="actions">
<button class="primary" autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${escapeHtml(t('logout.confirm'))}</button>
<button class="secondary" type="submit" form="op.logoutForm">${escapeHtml(t('logout.cancel'))}</button>
</div>`;
  ctx.type = 'html';
  ctx.body = renderHtmlPage(locale, t('logout.title'), body);
}

/** Shown after logout when the client gave no post_logout_redirect_uri. */
export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  const locale = pageLocale(ctx);
  const t = getTranslator(locale);
  ctx.type = 'html';
  ctx.body = renderHtmlPage(locale, t('logout.doneTitle'), `<h1>${escapeHtml(t('logout.doneTitle'))}</h1>\n<p role="status">${escapeHtml(t('logout.done'))}</p>`);
}
