import type { FlowMessage } from '@/lib/domain/flows/flow';
import { type FlowI18n, renderMessage } from './flow-i18n';

/** The DOM ids of a node's messages, for the input's aria-describedby. */
export function messageIds(fieldId: string, messages: readonly FlowMessage[]): string[] {
  return messages.map((_, index) => `${fieldId}-message-${index}`);
}

/** A node's own messages (errors, hints) under its label; the input points at them with aria-describedby. */
export function NodeMessages({ fieldId, messages, i18n }: { fieldId: string; messages: readonly FlowMessage[]; i18n: FlowI18n }) {
  if (messages.length === 0) return null;
  const ids = messageIds(fieldId, messages);
  return (
    <>
      {messages.map((message, index) => (
        <p key={ids[index]} id={ids[index]} className={message.type === 'error' ? 'field-error' : 'field-hint'}>
          {renderMessage(i18n, message)}
        </p>
      ))}
    </>
  );
}
