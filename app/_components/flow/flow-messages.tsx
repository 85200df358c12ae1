import type { FlowMessage } from '@/lib/domain/flows/flow';
import { type FlowI18n, renderMessage } from './flow-i18n';

/** The flow's own messages (ui.messages): errors are announced as alerts, the rest as status. */
export function FlowMessages({ messages, i18n }: { messages: readonly FlowMessage[]; i18n: FlowI18n }) {
  if (messages.length === 0) return null;
  return (
    <div className="flow-messages">
      {messages.map((message, index) =>
        message.type === 'error' ? (
          <p key={`${message.id}-${index}`} className="alert" role="alert">
            {renderMessage(i18n, message)}
          </p>
        ) : (
          <p key={`${message.id}-${index}`} className={message.type === 'success' ? 'notice success' : 'notice'} role="status">
            {renderMessage(i18n, message)}
          </p>
        ),
      )}
    </div>
  );
}
