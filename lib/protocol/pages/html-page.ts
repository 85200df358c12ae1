import type { SupportedLocale } from '../../i18n/locales';
import { getTranslator } from '../../i18n/translator';

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The document shell shared by the pages oidc-provider renders itself (logout, errors). */
export function renderHtmlPage(locale: SupportedLocale, title: string, bodyHtml: string): string {
  const t = getTranslator(locale);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(t('meta.product'))}</title>
<link rel="stylesheet" href="/meridian.css">
</head>
<body>
<header class="brand"><span>${escapeHtml(t('meta.product'))}</span></header>
<main class="card">
${bodyHtml}
</main>
</body>
</html>`;
}
