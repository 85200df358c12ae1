import type { ReactNode } from 'react';
import type { FlowLabel, FlowMessage } from '@/lib/domain/flows/flow';
import { interpolate, parseRichText, safeHref } from './rich-text';

type RichValue = string | number | Date | ((chunks: ReactNode) => ReactNode);

/**
 * The part of next-intl's translator the renderer uses. Pages pass `await getTranslations()`
 * (no namespace: flow message ids are full keys such as `signup.email.label`); unit tests pass
 * `createTranslator({ locale, messages })` from use-intl, which has the same shape.
 */
export type FlowTranslator = {
  (key: string, values?: Record<string, string | number | Date>): string;
  rich(key: string, values?: Record<string, RichValue>): ReactNode;
  markup(key: string, values?: Record<string, string | number | Date | ((chunks: string) => string)>): string;
  has(key: string): boolean;
  raw(key: string): unknown;
};

export type FlowI18n = { locale: string; t: FlowTranslator };

type Translatable = FlowLabel | FlowMessage;

/** Rich-text tags a flow message may use: `<link>` goes to `context.href` (terms/privacy documents). */
function renderTag(tag: string, chunks: ReactNode, context: Translatable['context'], key?: number): ReactNode {
  if (tag === 'link') {
    const href = safeHref(context?.href);
    return href ? (
      <a key={key} href={href}>
        {chunks}
      </a>
    ) : (
      chunks
    );
  }
  if (tag === 'strong') return <strong key={key}>{chunks}</strong>;
  return chunks;
}

function isTranslated(i18n: FlowI18n, message: Translatable): boolean {
  // `has` is also true for a namespace (an object): only a string is a message.
  return Boolean(message.id) && i18n.t.has(message.id) && typeof i18n.t.raw(message.id) === 'string';
}

/**
 * A message or label as rich content: translated by id with next-intl (placeholders from
 * `context`, `<link>` to `context.href`), or the server's `text` when the id is unknown here.
 */
export function renderMessage(i18n: FlowI18n, message: Translatable): ReactNode {
  const context = message.context;
  if (isTranslated(i18n, message)) {
    return i18n.t.rich(message.id, {
      ...context,
      link: (chunks) => renderTag('link', chunks, context),
      strong: (chunks) => renderTag('strong', chunks, context),
    });
  }
  return parseRichText(message.text).map((segment, index) =>
    segment.kind === 'text' ? interpolate(segment.text, context, i18n.locale) : renderTag(segment.tag, interpolate(segment.text, context, i18n.locale), context, index),
  );
}

/** The same as plain text (option labels, button captions): tags keep their content only. */
export function messageText(i18n: FlowI18n, message: Translatable): string {
  const context = message.context;
  if (isTranslated(i18n, message)) {
    return i18n.t.markup(message.id, { ...context, link: (chunks) => chunks, strong: (chunks) => chunks });
  }
  return parseRichText(message.text)
    .map((segment) => interpolate(segment.text, context, i18n.locale))
    .join('');
}
