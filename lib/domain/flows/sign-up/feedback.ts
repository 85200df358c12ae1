import type { FlowMessage } from '../flow';
import type { NodeKit } from '../flow-nodes';
import type { Feedback } from '../sign-up-store';
import { SCREEN_STEPS_FIELD } from './screens';
import type { MessageRef, Rejected, Values } from './steps/step-types';

/**
 * Feedback: what a refused submission leaves on the flow for the next render (post/redirect/get),
 * translated when written and again, into the locale being read, when rendered.
 */

/** Submitted values never shown again after a refused screen. */
const NOT_KEPT = new Set(['password', 'code', 'step', SCREEN_STEPS_FIELD, 'action']);

export function messagesOf(kit: NodeKit, refs: MessageRef[] | undefined, type: FlowMessage['type']): FlowMessage[] {
  return (refs ?? []).map((r) => kit.message(r.id, type, r.context));
}

export function feedbackOf(kit: NodeKit, step: string, rejected: Rejected): Feedback {
  return {
    step,
    messages: messagesOf(kit, rejected.messages, 'error'),
    fields: Object.fromEntries(Object.entries(rejected.fields ?? {}).map(([name, refs]) => [name, messagesOf(kit, refs, 'error')])),
    values: rejected.values ?? {},
    ...(rejected.strength === undefined ? {} : { strength: rejected.strength }),
  };
}

/** An info message for the step the flow moves on to. */
export function infoFor(kit: NodeKit, step: string, info: MessageRef): Feedback {
  return { step, messages: messagesOf(kit, [info], 'info'), fields: {}, values: {} };
}

/** A refused screen shows again with what was typed on it (secrets excepted). */
export function withScreenValues(feedback: Feedback, values: Values): Feedback {
  if (!values[SCREEN_STEPS_FIELD]) return feedback;
  return { ...feedback, values: { ...Object.fromEntries(Object.entries(values).filter(([k]) => !NOT_KEPT.has(k))), ...feedback.values } };
}

/** Re-translates stored feedback into the locale being rendered. */
export function localize(kit: NodeKit, messages: FlowMessage[]): FlowMessage[] {
  return messages.map((m) => kit.message(m.id, m.type, m.context));
}
