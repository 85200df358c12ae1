/**
 * The flow contract (shared/design.md §3): what the server sends a renderer — the web pages
 * and native apps alike — and what it accepts back. Kratos' UI-node idea, our own shape.
 *
 * Compatible extensions (backend, issue 3):
 * - `state` may be 'refused': the flow ended without an account (e.g. below the region's
 *   minimum age); `ui` explains why, `continue_to` (with an interaction) returns to the app.
 * - `text` of messages and labels is rendered in the flow's `locale` (English when that is en),
 *   so a native renderer without our catalogue can show it as is.
 * - inputs may carry `minlength`; a password node's `meta.strength` holds the zxcvbn score
 *   (0–4) of the last submitted password.
 * - a checkbox whose `value` is 'true' starts ticked; a ticked box submits 'true'.
 * - every step has a hidden input `step` (its id): a submission names the step it answers, so a
 *   repeated one is recognized (same outcome, nothing written twice).
 * - submit buttons are inputs named `action`; the first is the step's primary action.
 */

/** A message carries a stable `id` (a key in messages/*.json) the renderer translates; `text` is the fallback. */
export type FlowMessage = {
  id: string;
  type: 'info' | 'error' | 'success';
  text: string;
  /** Values for the message's placeholders, e.g. { minutes: 10 } or { href: '/legal/…' } for <link> tags. */
  context?: Record<string, string | number>;
};

export type FlowLabel = { id: string; text: string; context?: Record<string, string | number> };

export type InputAttributes = {
  name: string;
  type: 'text' | 'email' | 'password' | 'date' | 'tel' | 'checkbox' | 'hidden' | 'submit' | 'select';
  value?: string;
  required?: boolean;
  disabled?: boolean;
  /** A standard autocomplete token (username, email, one-time-code, new-password, bday, name, …). */
  autocomplete?: string;
  /** Extra constraints the renderer may apply natively (maxlength, min, max, pattern, inputmode). */
  maxlength?: number;
  minlength?: number;
  min?: string;
  max?: string;
  pattern?: string;
  inputmode?: 'numeric' | 'email' | 'tel' | 'text';
  /** For type "select": the choices, each with its own label. */
  options?: { value: string; label: FlowLabel }[];
};

export type TextAttributes = { id: string; text: FlowMessage };
export type AnchorAttributes = { id: string; href: string; title: FlowLabel };
export type ScriptAttributes = { id: string; src: string; integrity?: string };

/** zxcvbn-ts's score of the last submitted password: 0 (too guessable) … 4 (very unguessable). */
export type PasswordStrength = { score: number; max: 4 };

type NodeBase = { group: string; messages: FlowMessage[]; meta: { label?: FlowLabel; strength?: PasswordStrength } };

export type FlowNode =
  | (NodeBase & { type: 'input'; attributes: InputAttributes })
  | (NodeBase & { type: 'text'; attributes: TextAttributes })
  | (NodeBase & { type: 'a'; attributes: AnchorAttributes })
  | (NodeBase & { type: 'script'; attributes: ScriptAttributes });

export type FlowState = 'active' | 'complete' | 'refused';

export type Flow = {
  id: string;
  type: 'signup';
  state: FlowState;
  /** ISO 8601. */
  expires_at: string;
  locale: string;
  region: string | null;
  ui: {
    /** Where to POST the submission (form-encoded or JSON). */
    action: string;
    method: 'POST';
    nodes: FlowNode[];
    messages: FlowMessage[];
  };
  /** Set when `state` is complete (or refused with an interaction): where the person goes next (e.g. back into the authorization request). */
  continue_to?: string;
};
