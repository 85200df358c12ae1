import type { FlowNode } from '@/lib/domain/flows/flow';
import { type FlowI18n, renderMessage } from './flow-i18n';
import { safeHref } from './rich-text';

type AnchorFlowNode = Extract<FlowNode, { type: 'a' }>;

/** A link the server offers (back to sign-in, a document); an unsafe target renders as text only. */
export function AnchorNode({ node, i18n }: { node: AnchorFlowNode; i18n: FlowI18n }) {
  const { id, href, title } = node.attributes;
  const target = safeHref(href);
  const content = renderMessage(i18n, title);
  return target ? (
    <a id={id ? `link-${id}` : undefined} href={target}>
      {content}
    </a>
  ) : (
    <span id={id ? `link-${id}` : undefined}>{content}</span>
  );
}
