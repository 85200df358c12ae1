/** Just enough HTML reading for server-rendered pages (no parser dependency). */

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** The visible text of a page: scripts, styles and tags removed, entities decoded, spaces collapsed. */
export function visibleText(html: string): string {
  const body = html
    .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, ' ');
  return decodeEntities(body).replace(/\s+/g, ' ').trim();
}

export function htmlLang(html: string): string | undefined {
  return /<html\b[^>]*\blang="([^"]*)"/i.exec(html)?.[1];
}

function attribute(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return m?.[1] === undefined ? undefined : decodeEntities(m[1]);
}

/** Every `<input>` as a map of its attributes that matter here. */
export function inputs(html: string): { name?: string; type?: string; value?: string; autocomplete?: string; id?: string }[] {
  return [...html.matchAll(/<input\b[^>]*>/gi)].map(([tag]) => ({
    name: attribute(tag, 'name'),
    type: attribute(tag, 'type'),
    value: attribute(tag, 'value'),
    autocomplete: attribute(tag, 'autocomplete'),
    id: attribute(tag, 'id'),
  }));
}

export function findInput(html: string, name: string) {
  return inputs(html).find((i) => i.name === name);
}

/** `<label for=…>` texts keyed by the id they label. */
export function labels(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label>/gi)) {
    const forId = attribute(m[1] ?? '', 'for');
    if (forId) out.set(forId, visibleText(m[2] ?? ''));
  }
  return out;
}

/** The label text of the input named `name`. */
export function labelOf(html: string, name: string): string | undefined {
  const input = findInput(html, name);
  return input?.id ? labels(html).get(input.id) : undefined;
}

export function forms(html: string): { id?: string; action?: string; method?: string; html: string }[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map((m) => ({
    id: attribute(m[1] ?? '', 'id'),
    action: attribute(m[1] ?? '', 'action'),
    method: attribute(m[1] ?? '', 'method'),
    html: m[2] ?? '',
  }));
}

/** Submit buttons' visible texts. */
export function buttons(html: string): { name?: string; value?: string; text: string }[] {
  return [...html.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((m) => ({
    name: attribute(m[1] ?? '', 'name'),
    value: attribute(m[1] ?? '', 'value'),
    text: visibleText(m[2] ?? ''),
  }));
}

/** Text of role="alert" elements (sign-in errors). */
export function alerts(html: string): string[] {
  return [...html.matchAll(/<(\w+)\b[^>]*\brole="alert"[^>]*>([\s\S]*?)<\/\1>/gi)].map((m) => visibleText(m[2] ?? ''));
}
