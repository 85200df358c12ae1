import type { FlowLabel, FlowMessage, FlowNode, InputAttributes } from './flow';

/** Translates a message id in a locale; placeholders from `context`, rich-text tags stripped. */
export type Translate = (locale: string, id: string, context?: Record<string, string | number>) => string;

type Context = Record<string, string | number>;

// Every flow response renders the same labels again; a message without placeholders depends only
// on the translator, the locale and its id (a finite set), so its text is kept.
const plainTexts = new WeakMap<Translate, Map<string, string>>();
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
    if (values) return this.translate(this.locale, id, values);
    let texts = plainTexts.get(this.translate);
    if (!texts) plainTexts.set(this.translate, (texts = new Map()));
    const key = `${this.locale}\u0000${id}`;
    let text = texts.get(key);
    if (text === undefined) texts.set(key, (text = this.translate(this.locale, id)));
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
