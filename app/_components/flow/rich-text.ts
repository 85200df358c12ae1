/**
 * The fallback path of the flow renderer: when a message id is not in messages/*.json (a newer
 * server than this build, a region's own message), the English `text` is shown instead. It may
 * hold `{name}` placeholders and one level of rich-text tags such as `<link>…</link>`, the same
 * syntax next-intl's `t.rich` understands, so both paths render alike.
 */

export type RichSegment = { kind: 'text'; text: string } | { kind: 'tag'; tag: string; text: string };

const TAG = /<([a-zA-Z][\w-]*)>([\s\S]*?)<\/\1>/g;

/** Splits `Accept the <link>terms</link>.` into text and tag segments (tags do not nest). */
export function parseRichText(template: string): RichSegment[] {
  const segments: RichSegment[] = [];
  let last = 0;
  for (const match of template.matchAll(TAG)) {
    const index = match.index ?? 0;
    if (index > last) segments.push({ kind: 'text', text: template.slice(last, index) });
    segments.push({ kind: 'tag', tag: match[1] ?? '', text: match[2] ?? '' });
    last = index + match[0].length;
  }
  if (last < template.length) segments.push({ kind: 'text', text: template.slice(last) });
  return segments;
}

/** Replaces `{name}` with the context value; numbers are formatted for `locale`. Unknown names stay as typed. */
export function interpolate(text: string, context: Record<string, string | number> | undefined, locale: string): string {
  if (!context) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = context[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
  });
}

/**
 * A link target from the server that is safe to put in `href`: a path on this site or an
 * http(s) URL. Anything else (javascript:, data:, protocol-relative //host) gives undefined.
 */
export function safeHref(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  if (value.startsWith('/')) return value.startsWith('//') || value.includes('\\') ? undefined : value;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
