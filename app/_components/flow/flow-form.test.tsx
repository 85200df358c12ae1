import { renderToStaticMarkup } from 'react-dom/server';
import { createTranslator } from 'use-intl/core';
import { describe, expect, it } from 'vitest';
import type { Flow } from '@/lib/domain/flows/flow';
import { MESSAGES } from '@/lib/i18n/messages';
import { CODE_STEP, COMPLETE_FLOW, CONSENT_STEP, EMAIL_STEP, EMAIL_STEP_WITH_ERROR, PASSWORD_STEP, REFUSED_FLOW } from './flow-fixtures';
import { FlowForm } from './flow-form';
import type { FlowI18n, FlowTranslator } from './flow-i18n';

/** A translator over the real messages of `locale`, plus test-only keys. */
function i18nFor(locale: 'en' | 'ja' | 'zh-TW', extra: Record<string, unknown> = {}): FlowI18n {
  const t = createTranslator({ locale, messages: { ...MESSAGES[locale], ...extra } });
  return { locale, t: t as unknown as FlowTranslator };
}

function html(flow: Pick<Flow, 'ui'>, i18n = i18nFor('en')): string {
  return renderToStaticMarkup(<FlowForm flow={flow} i18n={i18n} />);
}

/** The attributes of the element with `id` (names lower-cased: HTML attribute names are case-insensitive). */
function attrs(out: string, id: string): Record<string, string> {
  const tag = new RegExp(`<(\\w+)\\s[^>]*\\bid="${id}"[^>]*>`).exec(out);
  if (!tag) throw new Error(`no element #${id} in ${out}`);
  const result: Record<string, string> = { tag: tag[1]! };
  for (const m of tag[0].matchAll(/\s([\w-]+)="([^"]*)"/g)) result[m[1]!.toLowerCase()] = m[2]!;
  return result;
}

/** The inner HTML of the first `<tag …>…</tag>` whose opening tag contains `marker`. */
function inner(out: string, tag: string, marker: string): string {
  const start = out.search(new RegExp(`<${tag}\\b[^>]*${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^>]*>`));
  if (start < 0) throw new Error(`no <${tag}> with ${marker} in ${out}`);
  const open = out.indexOf('>', start) + 1;
  return out.slice(open, out.indexOf(`</${tag}>`, open));
}

describe('FlowForm', () => {
  it('renders ONE plain form posting to ui.action, without browser validation', () => {
    const out = html(EMAIL_STEP);
    expect(out.match(/<form\s/g)).toHaveLength(1);
    const form = /<form\s[^>]*>/.exec(out)![0];
    expect(form).toContain('method="post"');
    expect(form).toContain('action="/api/flows/fixture-flow-0123456789abcdef"');
    expect(form.toLowerCase()).toContain('novalidate=""');
    expect(out).toMatch(/<input type="hidden" name="step" value="email"\/>/);
  });

  it('gives every field a visible label and the autocomplete token from the node', () => {
    const out = html(EMAIL_STEP);
    expect(inner(out, 'label', 'for="field-email"')).toBe('Email');
    expect(attrs(out, 'field-email')).toMatchObject({ tag: 'input', name: 'email', type: 'email', required: '', autocomplete: 'email', maxlength: '320', autocapitalize: 'off', spellcheck: 'false' });
    expect(inner(out, 'label', 'for="field-region"')).toBe('Country or region');
    expect(attrs(out, 'field-region')).toMatchObject({ tag: 'select', name: 'region', required: '' });
    expect(inner(out, 'select', 'id="field-region"')).toBe('<option value="" selected="">Choose…</option><option value="JP">Japan</option><option value="TW">Taiwan</option>');
  });

  it('puts the submit buttons after the fields and navigation links outside the form', () => {
    const out = html(EMAIL_STEP);
    const form = inner(out, 'form', 'method="post"');
    expect(form.indexOf('id="field-email"')).toBeLessThan(form.indexOf('type="submit"'));
    expect(attrs(out, 'field-action')).toMatchObject({ tag: 'button', class: 'primary', type: 'submit', name: 'action', value: 'continue' });
    expect(inner(out, 'button', 'id="field-action"')).toBe('Continue');
    const after = out.slice(out.indexOf('</form>'));
    expect(inner(after, 'nav', 'aria-label="Other options"')).toBe('<ul><li><a id="link-sign-in" href="/interaction/uid-123">Already have an account? Sign in</a></li></ul>');
  });

  it('ties an error to its field with aria-invalid and aria-describedby, keeps the typed value, focuses it', () => {
    const out = html(EMAIL_STEP_WITH_ERROR);
    expect(out).toContain('<p class="alert" role="alert">Check the highlighted field.</p>');
    expect(out).toContain('<p id="field-email-message-0" class="field-error">Enter an email address like name@example.com.</p>');
    expect(attrs(out, 'field-email')).toMatchObject({ value: 'not-an-email', autofocus: '', 'aria-invalid': 'true', 'aria-describedby': 'field-email-message-0' });
  });

  it('interpolates context into fallback text and keeps a secondary submit after the primary one', () => {
    const out = html(CODE_STEP);
    expect(out).toContain('<p id="text-code-sent" class="flow-text">We sent a code to mei@example.com. It is valid for 10 minutes.</p>');
    expect(out).toContain('That code is not right. 4 attempts left.');
    expect(attrs(out, 'field-code')).toMatchObject({ autocomplete: 'one-time-code', maxlength: '6', pattern: '[0-9]{6}', inputmode: 'numeric', 'aria-invalid': 'true' });
    expect(attrs(out, 'field-action')).toMatchObject({ class: 'primary', value: 'continue' });
    expect(attrs(out, 'field-action-2')).toMatchObject({ class: 'secondary', value: 'resend' });
    expect(out.indexOf('id="field-action"')).toBeLessThan(out.indexOf('id="field-action-2"'));
  });

  it('never echoes a password and shows the server strength score', () => {
    const out = html(PASSWORD_STEP);
    expect(out).not.toContain('should-never-be-echoed');
    expect(attrs(out, 'field-password')).toMatchObject({ type: 'password', autocomplete: 'new-password', minlength: '8', maxlength: '1024' });
    expect(attrs(out, 'field-password').value).toBeUndefined();
    expect(inner(out, 'label', 'for="field-password-strength"')).toBe('Password strength');
    expect(attrs(out, 'field-password-strength')).toMatchObject({ tag: 'meter', min: '0', max: '4', value: '1', 'aria-valuetext': 'Weak' });
  });

  it('links <link> in checkbox labels to context.href, and drops unsafe targets', () => {
    const out = html(CONSENT_STEP);
    expect(inner(out, 'label', 'for="field-terms"')).toBe('I accept the <a href="/legal/TW/terms">Terms of Service</a> (version 2)');
    expect(inner(out, 'label', 'for="field-privacy"')).toBe('I have read the Privacy Policy');
    expect(out).not.toContain('javascript:');
    expect(attrs(out, 'field-terms')).toMatchObject({ type: 'checkbox', name: 'terms', value: 'true', checked: '', required: '' });
    expect(attrs(out, 'field-privacy')).toMatchObject({ type: 'checkbox', name: 'privacy', value: 'true', required: '' });
    expect(attrs(out, 'field-privacy').checked).toBeUndefined();
    expect(attrs(out, 'field-birthdate')).toMatchObject({ type: 'date', autocomplete: 'bday', max: '2026-11-22' });
    expect(attrs(out, 'script-enhance')).toMatchObject({ src: '/flow-enhancements.js', integrity: 'sha384-abc', crossorigin: 'anonymous' });
  });

  it('translates by message id with next-intl (placeholders, plural, <link>) in the page locale', () => {
    const i18n = i18nFor('ja', {
      fixture: {
        terms: '<link>利用規約</link>(第{version}版)に同意します',
        code_wrong: 'コードが正しくありません。残り{remaining, plural, other {#回}}です。',
        email: 'メールアドレス',
        region: { JP: '日本', TW: '台湾' },
      },
    });
    const consent = html(CONSENT_STEP, i18n);
    expect(inner(consent, 'label', 'for="field-terms"')).toBe('<a href="/legal/TW/terms">利用規約</a>(第2版)に同意します');
    expect(inner(consent, 'button', 'id="field-action"')).toBe('Continue');
    expect(html(CODE_STEP, i18n)).toContain('コードが正しくありません。残り4回です。');
    const email = html(EMAIL_STEP, i18n);
    expect(inner(email, 'label', 'for="field-email"')).toBe('メールアドレス');
    // An id that names a namespace, not a message, falls back to the server's text.
    expect(inner(email, 'label', 'for="field-region"')).toBe('Country or region');
    expect(inner(email, 'select', 'id="field-region"')).toBe('<option value="" selected="">選択してください</option><option value="JP">日本</option><option value="TW">台湾</option>');
    expect(email).toContain('aria-label="その他の操作"');
  });

  it('renders no form when a step has nothing to submit (a refused flow): its texts and links only', () => {
    const out = html(REFUSED_FLOW);
    expect(out).not.toContain('<form');
    expect(out).toContain('<p id="text-refused" class="alert" role="alert">You must be at least 13 to create an account.</p>');
    expect(out).toContain('<a id="link-sign-in" href="/interaction/uid-123">');
  });

  it('renders a complete flow as its text and the link onwards', () => {
    const out = html(COMPLETE_FLOW);
    expect(out).not.toContain('<form');
    expect(out).toContain('<p id="text-signup-complete" class="flow-text">Your account is ready.</p>');
    expect(out).toContain('<a id="link-continue" href="/oidc/auth/resume-123">Continue</a>');
  });
});
