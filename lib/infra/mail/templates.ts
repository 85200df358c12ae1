import { plainText } from '../../i18n/plain-text';
import { matchLocale, type SupportedLocale } from '../../i18n/locales';
import type { MailMessage } from './mail-message';

/**
 * Localized mail templates (messages/*.json, namespace `mail`): each mail has a plain-text and an
 * HTML part built from the same messages. Every value is escaped in the HTML part.
 */

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function localeOf(locale: string): SupportedLocale {
  return matchLocale(locale) ?? 'en';
}

/** The mail's texts: plain text, placeholders filled (plain-text.ts: use-intl's output, less of its per-call work). */
function translatorFor(locale: SupportedLocale) {
  return (key: string, values?: Record<string, string | number>) => plainText(locale, key, values);
}

function layout(locale: SupportedLocale, title: string, body: string): string {
  const t = translatorFor(locale);
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:24px;background:#f5f6f8;font-family:system-ui,-apple-system,'Segoe UI','Hiragino Sans','Noto Sans TC',sans-serif;color:#1d2330">
<div style="max-width:520px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<p style="font-weight:600;margin:0 0 16px">${escapeHtml(t('meta.product'))}</p>
${body}
<p style="color:#5b6472;font-size:13px;margin:24px 0 0">${escapeHtml(t('mail.footer'))}</p>
</div>
</body>
</html>`;
}

type CodeMailKeys = 'signupCode' | 'signinCode';

/** A mail carrying a 6-digit code (sign-up or sign-in): intro, the code, its lifetime, an optional link, "ignore if not you". */
function renderCodeMail(kind: CodeMailKeys, input: { to: string; locale: string; code: string; minutes: number; link: { label: string; button: string; href: string } | null }): MailMessage {
  const locale = localeOf(input.locale);
  const t = translatorFor(locale);
  const subject = t(`mail.${kind}.subject`, { code: input.code });
  const intro = t(`mail.${kind}.intro`);
  const expires = t(`mail.${kind}.expires`, { minutes: input.minutes });
  const ignore = t(`mail.${kind}.ignore`);
  const lines = [intro, '', input.code, '', expires];
  if (input.link) lines.push('', input.link.label, input.link.href);
  lines.push('', ignore, '', '--', t('mail.footer'));
  const html = layout(
    locale,
    subject,
    [
      `<p>${escapeHtml(intro)}</p>`,
      `<p style="font-size:28px;letter-spacing:6px;font-weight:700;margin:16px 0" data-code="${escapeHtml(input.code)}">${escapeHtml(input.code)}</p>`,
      `<p>${escapeHtml(expires)}</p>`,
      input.link
        ? `<p>${escapeHtml(input.link.label)}</p><p><a href="${escapeHtml(input.link.href)}" style="display:inline-block;background:#2450c8;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(input.link.button)}</a></p>`
        : '',
      `<p style="color:#5b6472">${escapeHtml(ignore)}</p>`,
    ].join('\n'),
  );
  return { to: input.to, subject, text: lines.join('\n'), html };
}

export function renderSignUpCodeMail(input: { to: string; locale: string; code: string; minutes: number; link: string | null }): MailMessage {
  const t = translatorFor(localeOf(input.locale));
  const link = input.link ? { label: t('mail.signupCode.link'), button: t('mail.signupCode.button'), href: input.link } : null;
  return renderCodeMail('signupCode', { ...input, link });
}

export function renderExistingAccountNotice(input: { to: string; locale: string; signInUrl: string }): MailMessage {
  const locale = localeOf(input.locale);
  const t = translatorFor(locale);
  const subject = t('mail.existingAccount.subject');
  const text = [t('mail.existingAccount.body'), '', t('mail.existingAccount.signIn'), input.signInUrl, '', t('mail.existingAccount.ignore'), '', '--', t('mail.footer')].join('\n');
  const html = layout(
    locale,
    subject,
    [
      `<p>${escapeHtml(t('mail.existingAccount.body'))}</p>`,
      `<p>${escapeHtml(t('mail.existingAccount.signIn'))} <a href="${escapeHtml(input.signInUrl)}">${escapeHtml(input.signInUrl)}</a></p>`,
      `<p style="color:#5b6472">${escapeHtml(t('mail.existingAccount.ignore'))}</p>`,
    ].join('\n'),
  );
  return { to: input.to, subject, text, html };
}

export function renderSignInCodeMail(input: { to: string; locale: string; code: string; minutes: number }): MailMessage {
  return renderCodeMail('signinCode', { ...input, link: null });
}
