import { IntlMessageFormat } from 'intl-messageformat';
import type { SupportedLocale } from './locales';
import { MESSAGES } from './messages';
import { getTranslator } from './translator';

/** Values of a plain-text message: placeholders, and tag functions that receive and return strings. */
export type PlainTextValues = Record<string, string | number | ((chunks: string) => string)>;

type MarkupTranslator = { markup(key: string, values?: PlainTextValues): string };

// One compiled format per locale and message id (null: not a message use-intl would format).
// use-intl's own `t.markup` resolves the dotted path, rebuilds its format options and looks the
// compiled format up under a serialized key on every call: 5–10 µs, and a sign-up renders dozens
// of texts (the labels of each instruction, every mail). This is the same IntlMessageFormat with
// the same defaults (our messages use no date, time or custom number formats), looked up once.
const compiled = new Map<string, IntlMessageFormat | null>();

function sourceOf(locale: SupportedLocale, id: string): string | null {
  let node: unknown = MESSAGES[locale];
  for (const part of id.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return null;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : null;
}

function formatOf(locale: SupportedLocale, id: string): IntlMessageFormat | null {
  const key = `${locale}\u0000${id}`;
  let format = compiled.get(key);
  if (format === undefined) {
    const source = sourceOf(locale, id);
    try {
      format = source === null ? null : new IntlMessageFormat(source, locale);
    } catch {
      format = null;
    }
    compiled.set(key, format);
  }
  return format;
}

/**
 * A message as plain text, exactly as use-intl's `t.markup(id, values)` renders it. Whatever that
 * would report (a missing message, a missing value) goes through use-intl itself, so its fallback
 * and error reporting stay the same.
 */
export function plainText(locale: SupportedLocale, id: string, values?: PlainTextValues): string {
  const format = formatOf(locale, id);
  if (format) {
    try {
      const text = format.format(values);
      if (typeof text === 'string') return text;
    } catch {
      // use-intl reports it below.
    }
  }
  return (getTranslator(locale) as unknown as MarkupTranslator).markup(id, values);
}
