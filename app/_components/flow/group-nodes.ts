import type { FlowNode } from '@/lib/domain/flows/flow';

/** Nodes in this group are links out of the flow (back to sign-in, …): rendered after the form. */
export const NAVIGATION_GROUP = 'navigation';

export type NodeGroup = { name: string; nodes: FlowNode[] };

export type FlowLayout = {
  /** Groups of the form's fields and texts, in order of first appearance. */
  groups: NodeGroup[];
  /** The form's submit buttons, in node order, rendered together after every field. */
  actions: FlowNode[];
  /** Links rendered after the form (group "navigation"). */
  navigation: FlowNode[];
  /** Script nodes (progressive enhancement only; the form works without them). */
  scripts: FlowNode[];
};

function isSubmit(node: FlowNode): boolean {
  return node.type === 'input' && node.attributes.type === 'submit';
}

/**
 * Lays out a flow's nodes. The rules, in order:
 * 1. script nodes are collected apart;
 * 2. nodes of the navigation group go after the form;
 * 3. submit inputs become the form's action row, after all fields, so Enter in any field
 *    presses the first one (the server lists its primary action first);
 * 4. everything else stays in its group, groups in order of first appearance.
 */
export function layoutNodes(nodes: readonly FlowNode[]): FlowLayout {
  const layout: FlowLayout = { groups: [], actions: [], navigation: [], scripts: [] };
  const byName = new Map<string, NodeGroup>();
  for (const node of nodes) {
    if (node.type === 'script') layout.scripts.push(node);
    else if (node.group === NAVIGATION_GROUP) layout.navigation.push(node);
    else if (isSubmit(node)) layout.actions.push(node);
    else {
      let group = byName.get(node.group);
      if (!group) {
        group = { name: node.group, nodes: [] };
        byName.set(node.group, group);
        layout.groups.push(group);
      }
      group.nodes.push(node);
    }
  }
  return layout;
}

/** A DOM id for an input: `field-` plus its name made id-safe, made unique with a suffix. */
export function fieldIds(nodes: readonly FlowNode[]): Map<FlowNode, string> {
  const ids = new Map<FlowNode, string>();
  const used = new Set<string>();
  for (const node of nodes) {
    if (node.type !== 'input') continue;
    const base = `field-${node.attributes.name.replace(/[^A-Za-z0-9_-]/g, '-') || 'input'}`;
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
    used.add(id);
    ids.set(node, id);
  }
  return ids;
}

/** Whether a node has an error message (its input gets aria-invalid). */
export function hasError(node: FlowNode): boolean {
  return node.messages.some((m) => m.type === 'error');
}

/**
 * The input that gets focus when the page loads: the first one with an error, else the first
 * visible field that is still empty. None when the step has no such field.
 */
export function autofocusTarget(nodes: readonly FlowNode[]): FlowNode | undefined {
  const fields = nodes.filter(
    (n) => n.type === 'input' && n.group !== NAVIGATION_GROUP && !['hidden', 'submit'].includes(n.attributes.type) && !n.attributes.disabled,
  );
  return fields.find(hasError) ?? fields.find((n) => n.type === 'input' && !n.attributes.value && n.attributes.type !== 'checkbox');
}
