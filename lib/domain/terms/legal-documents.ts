import { Marked, type Tokens } from 'marked';

/**
 * Legal documents (terms, privacy…): versioned Markdown per region and locale, rendered to HTML
 * that is safe to put in a page. Rules of renderLegalMarkdown:
 * 1. raw HTML in the Markdown (blocks and inline tags) is shown as text, never passed through;
 * 2. links keep only http(s), mailto and same-site targets (a path or #anchor); others become text;
 * 3. images become their alt text (documents load nothing from elsewhere);
 * 4. the first level-1 heading is the document's title.
 */

export type LegalDocument = {
  region: string;
  documentId: string;
  version: string;
  /** The locale of the text (the requested one, or the region's default when it has no translation). */
  locale: string;
  title: string;
  html: string;
};

/** Port: reads messages/legal/<REGION>/<id>/<version>.<locale>.md; null when absent. */
export interface LegalDocumentSource {
  read(region: string, documentId: string, version: string, locale: string): Promise<string | null>;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function safeHref(href: string): string | null {
  const trimmed = href.trim();
  if (/^(#|\/(?![/\\]))/.test(trimmed)) return trimmed;
  try {
    const url = new URL(trimmed);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

const marked = new Marked({
  gfm: true,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const inner = this.parser.parseInline(tokens);
      const target = safeHref(href);
      if (!target) return inner;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(target)}"${titleAttr}>${inner}</a>`;
    },
    image({ text }: Tokens.Image) {
      return escapeHtml(text);
    },
  },
});

/** Markdown → safe HTML (see the rules above). */
export function renderLegalMarkdown(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

export function titleOf(markdown: string): string {
  const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(markdown);
  return heading?.[1]?.trim() ?? '';
}

/** Loads a document in `locale`, or in the region's default locale when that translation is missing. */
export async function loadLegalDocument(
  source: LegalDocumentSource,
  input: { region: string; documentId: string; version: string; locale: string; fallbackLocale: string },
): Promise<LegalDocument | null> {
  for (const locale of [...new Set([input.locale, input.fallbackLocale])]) {
    const markdown = await source.read(input.region, input.documentId, input.version, locale);
    if (markdown !== null) {
      return { region: input.region, documentId: input.documentId, version: input.version, locale, title: titleOf(markdown), html: renderLegalMarkdown(markdown) };
    }
  }
  return null;
}
