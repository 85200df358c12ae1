import type { FlowLabel, FlowMessage, FlowNode, InputAttributes } from './flow';

/** Translates a message id in a locale; placeholders from `context`, rich-text tags stripped. */
export type Translate = (locale: string, id: string, context?: Record<string, string | number>) => string;

type Context = Record<string, string | number>;

// Every flow response renders the same labels again. A message whose values are numbers (or
// none) depends only on the translator, the locale, its id and those numbers, so its text is
// kept; text values (an email address) are rendered every time. Bounded all the same.
const renderedTexts = new WeakMap<Translate, Map<string, string>>();
const MAX_RENDERED_TEXTS = 2000;

function textKeyOf(locale: string, id: string, values: Context | undefined): string | null {
  let key = `${locale}\u0000${id}`;
  for (const name in values) {
    const value = values[name];
    if (typeof value !== 'number') return null;
    key += `\u0000${name}=${value}`;
  }
  return key;
}

// Intl.DateTimeFormat is expensive to construct and immutable once made.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormatFor(locale: string): Intl.DateTimeFormat {
  let format = dateFormats.get(locale);
  if (!format) dateFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' })));
  return format;
}

/** Builds nodes and messages whose `text` is rendered in one locale (flow.ts). */
export class NodeKit {
  constructor(
    readonly locale: string,
    private readonly translate: Translate,
  ) {}

  message(id: string, type: FlowMessage['type'] = 'info', context?: Context): FlowMessage {
    const values = this.localized(context);
    return { id, type, text: this.render(id, values), ...(values ? { context: values } : {}) };
  }

  label(id: string, context?: Context): FlowLabel {
    const values = this.localized(context);
    return { id, text: this.render(id, values), ...(values ? { context: values } : {}) };
  }

  private render(id: string, values: Context | undefined): string {
    const key = textKeyOf(this.locale, id, values);
    if (key === null) return this.translate(this.locale, id, values);
    let texts = renderedTexts.get(this.translate);
    if (!texts) renderedTexts.set(this.translate, (texts = new Map()));
    let text = texts.get(key);
    if (text === undefined) {
      if (texts.size >= MAX_RENDERED_TEXTS) texts.clear();
      texts.set(key, (text = this.translate(this.locale, id, values)));
    }
    return text;
  }

  /** Calendar dates (YYYY-MM-DD) in `date`-named values are formatted for the locale (long style). */
  private localized(context: Context | undefined): Context | undefined {
    if (!context) return undefined;
    return Object.fromEntries(
      Object.entries(context).map(([k, v]) =>
        /date$/i.test(k) && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)
          ? [k, dateFormatFor(this.locale).format(new Date(`${v}T00:00:00Z`))]
          : [k, v],
      ),
    );
  }

  input(group: string, attributes: InputAttributes, label?: FlowLabel, messages: FlowMessage[] = []): FlowNode {
    return { type: 'input', group, attributes, messages, meta: label ? { label } : {} };
  }

  hidden(name: string, value: string): FlowNode {
    return { type: 'input', group: 'default', attributes: { name, type: 'hidden', value }, messages: [], meta: {} };
  }

  /** A submit button; `action` says which (continue, resend…). */
  submit(action: string, labelId: string): FlowNode {
    return { type: 'input', group: 'default', attributes: { name: 'action', type: 'submit', value: action }, messages: [], meta: { label: this.label(labelId) } };
  }

  text(group: string, id: string, message: FlowMessage): FlowNode {
    return { type: 'text', group, attributes: { id, text: message }, messages: [], meta: {} };
  }

  link(group: string, id: string, href: string, title: FlowLabel): FlowNode {
    return { type: 'a', group, attributes: { id, href, title }, messages: [], meta: {} };
  }
}
