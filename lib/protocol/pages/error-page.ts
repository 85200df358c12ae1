import type { KoaContextWithOIDC } from 'oidc-provider';
import { getTranslator } from '../../i18n/translator';
import { escapeHtml, renderHtmlPage } from './html-page';
import { pageLocale } from './page-locale';

type ErrorOut = { error: string; error_description?: string };

/**
 * Errors the provider cannot send back to a client (bad redirect_uri, unknown client…) end
 * here: a localized page that never redirects. The protocol code stays visible for support.
 */
export async function renderError(ctx: KoaContextWithOIDC, out: ErrorOut): Promise<void> {
  const locale = pageLocale(ctx);
  const t = getTranslator(locale);
  const body = `<h1>${escapeHtml(t('error.title'))}</h1>
<p role="alert">${escapeHtml(t('error.description'))}</p>
<p class="muted"><code>${escapeHtml(t('error.code', { code: out.error }))}</code></p>
${out.error_description ? `<p class="muted">${escapeHtml(out.error_description)}</p>` : ''}`;
  ctx.type = 'html';
  ctx.body = renderHtmlPage(locale, t('error.title'), body);
}
