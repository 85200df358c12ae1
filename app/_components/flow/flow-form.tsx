import type { Flow, FlowNode } from '@/lib/domain/flows/flow';
import { AnchorNode } from './anchor-node';
import type { FlowI18n } from './flow-i18n';
import { FlowMessages } from './flow-messages';
import { autofocusTarget, fieldIds, layoutNodes } from './group-nodes';
import { InputNode } from './input-node';
import { ScriptNode } from './script-node';
import { TextNode } from './text-node';

/** `nonce`: this request's CSP nonce, for the script nodes. */
type Props = { flow: Pick<Flow, 'ui'>; i18n: FlowI18n; nonce?: string };

/**
 * The generic renderer: the flow's messages, then ONE plain HTML form posting to `ui.action`
 * (works without JavaScript; the server answers 303 back to the page), then the navigation
 * links. Every node type has its own component; `layoutNodes` says where each goes.
 */
export function FlowForm({ flow, i18n, nonce }: Props) {
  const { ui } = flow;
  const layout = layoutNodes(ui.nodes);
  const ids = fieldIds(ui.nodes);
  const focus = autofocusTarget(ui.nodes);

  const renderNode = (node: FlowNode, index: number) => {
    switch (node.type) {
      case 'input':
        return <InputNode key={ids.get(node)} node={node} fieldId={ids.get(node) ?? `field-${index}`} i18n={i18n} autoFocus={node === focus} />;
      case 'text':
        return <TextNode key={`text-${node.attributes.id || index}`} node={node} i18n={i18n} />;
      case 'a':
        return (
          <p key={`a-${node.attributes.id || index}`}>
            <AnchorNode node={node} i18n={i18n} />
          </p>
        );
      case 'script':
        return <ScriptNode key={`script-${node.attributes.id || index}`} node={node} nonce={nonce} />;
    }
  };

  const groups = layout.groups.map((group) => (
    <div key={group.name} className="flow-group" data-group={group.name}>
      {group.nodes.map(renderNode)}
    </div>
  ));
  // A step with nothing to submit (a refused flow) is only text and links: no form.
  const submittable = layout.actions.length > 0 || layout.groups.some((g) => g.nodes.some((n) => n.type === 'input' && n.attributes.type !== 'hidden'));

  return (
    <>
      <FlowMessages messages={ui.messages} i18n={i18n} />
      {submittable ? (
        <form className="stack flow" method="post" action={ui.action} noValidate>
          {groups}
          {layout.actions.length > 0 ? (
            <div className="actions">
              {layout.actions.map((node, index) =>
                node.type === 'input' ? <InputNode key={ids.get(node)} node={node} fieldId={ids.get(node) ?? `action-${index}`} i18n={i18n} primary={index === 0} /> : null,
              )}
            </div>
          ) : null}
        </form>
      ) : (
        <div className="stack flow">{groups}</div>
      )}
      {layout.navigation.length > 0 ? (
        <nav className="flow-navigation" aria-label={i18n.t('flow.navigationLabel')}>
          <ul>
            {layout.navigation.map((node, index) => (
              <li key={`nav-${index}`}>{node.type === 'a' ? <AnchorNode node={node} i18n={i18n} /> : renderNode(node, index)}</li>
            ))}
          </ul>
        </nav>
      ) : null}
      {layout.scripts.map(renderNode)}
    </>
  );
}
