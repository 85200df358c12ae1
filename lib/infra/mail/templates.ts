import { getTranslator } from '../../i18n/translator';
import { matchLocale, type SupportedLocale } from '../../i18n/locales';
import type { MailMessage } from './mailer';

/**
 * Localized mail templates (messages/*.json, namespace `mail`): each mail has a plain-text and an
 * HTML part built from the same messages. Every value is escaped in the HTML part.
 */

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function localeOf(locale: string): SupportedLocale {
  return matchLocale(locale) ?? 'en';
}

// One translator per locale: it keeps its compiled messages.
const translators = new Map<SupportedLocale, ReturnType<typeof getTranslator>>();

function translatorFor(locale: SupportedLocale) {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = getTranslator(locale)));
  return t;
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

export function renderSignUpCodeMail(input: { to: string; locale: string; code: string; minutes: number; link: string | null }): MailMessage {
  const locale = localeOf(input.locale);
  const t = translatorFor(locale);
  const subject = t('mail.signupCode.subject', { code: input.code });
  const expires = t('mail.signupCode.expires', { minutes: input.minutes });
  const lines = [t('mail.signupCode.intro'), '', input.code, '', expires];
  if (input.link) lines.push('', t('mail.signupCode.link'), input.link);
  lines.push('', t('mail.signupCode.ignore'), '', '--', t('mail.footer'));
  const html = layout(
    locale,
    subject,
    [
      `<p>${escapeHtml(t('mail.signupCode.intro'))}</p>`,
      `<p style="font-size:28px;letter-spacing:6px;font-weight:700;margin:16px 0" data-code="${escapeHtml(input.code)}">${escapeHtml(input.code)}</p>`,
      `<p>${escapeHtml(expires)}</p>`,
      input.link
        ? `<p>${escapeHtml(t('mail.signupCode.link'))}</p><p><a href="${escapeHtml(input.link)}" style="display:inline-block;background:#2450c8;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(t('mail.signupCode.button'))}</a></p>`
        : '',
      `<p style="color:#5b6472">${escapeHtml(t('mail.signupCode.ignore'))}</p>`,
    ].join('\n'),
  );
  return { to: input.to, subject, text: lines.join('\n'), html };
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
  const locale = localeOf(input.locale);
  const t = translatorFor(locale);
  const subject = t('mail.signinCode.subject', { code: input.code });
  const expires = t('mail.signinCode.expires', { minutes: input.minutes });
  const text = [t('mail.signinCode.intro'), '', input.code, '', expires, '', t('mail.signinCode.ignore'), '', '--', t('mail.footer')].join('\n');
  const html = layout(
    locale,
    subject,
    [
      `<p>${escapeHtml(t('mail.signinCode.intro'))}</p>`,
      `<p style="font-size:28px;letter-spacing:6px;font-weight:700;margin:16px 0" data-code="${escapeHtml(input.code)}">${escapeHtml(input.code)}</p>`,
      `<p>${escapeHtml(expires)}</p>`,
      `<p style="color:#5b6472">${escapeHtml(t('mail.signinCode.ignore'))}</p>`,
    ].join('\n'),
  );
  return { to: input.to, subject, text, html };
}
