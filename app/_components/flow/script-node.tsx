import type { FlowNode } from '@/lib/domain/flows/flow';
import { safeHref } from './rich-text';

type ScriptFlowNode = Extract<FlowNode, { type: 'script' }>;

/**
 * A script the step offers as an enhancement (e.g. a passkey ceremony). The form never depends
 * on it: every step can be completed with JavaScript disabled.
 */
export function ScriptNode({ node, nonce }: { node: ScriptFlowNode; nonce?: string }) {
  const { id, src, integrity } = node.attributes;
  const target = safeHref(src);
  if (!target) return null;
  return <script id={id ? `script-${id}` : undefined} src={target} integrity={integrity} crossOrigin={integrity ? 'anonymous' : undefined} nonce={nonce} async />;
}
