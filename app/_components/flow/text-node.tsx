import type { FlowNode } from '@/lib/domain/flows/flow';
import { type FlowI18n, renderMessage } from './flow-i18n';

type TextFlowNode = Extract<FlowNode, { type: 'text' }>;

/** A paragraph of the step (explanations such as "We sent a code to …"); an error text is an alert. */
export function TextNode({ node, i18n }: { node: TextFlowNode; i18n: FlowI18n }) {
  const { id, text } = node.attributes;
  const label = node.meta.label;
  return (
    <p id={id ? `text-${id}` : undefined} className={text.type === 'error' ? 'alert' : 'flow-text'} role={text.type === 'error' ? 'alert' : undefined}>
      {label ? (
        <>
          <span className="flow-text-label">{renderMessage(i18n, label)}</span>{' '}
        </>
      ) : null}
      {renderMessage(i18n, text)}
    </p>
  );
}
