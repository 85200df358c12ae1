import { describe, expect, it } from 'vitest';
import type { FlowNode } from '@/lib/domain/flows/flow';
import { CODE_STEP, CONSENT_STEP, EMAIL_STEP, EMAIL_STEP_WITH_ERROR } from './flow-fixtures';
import { autofocusTarget, fieldIds, layoutNodes } from './group-nodes';

const names = (nodes: FlowNode[]) => nodes.map((n) => (n.type === 'input' ? n.attributes.name : n.type === 'a' || n.type === 'text' || n.type === 'script' ? n.attributes.id : ''));

describe('layoutNodes', () => {
  it('keeps groups in order of first appearance, moves submits last and navigation out of the form', () => {
    const layout = layoutNodes(EMAIL_STEP.ui.nodes);
    expect(layout.groups.map((g) => g.name)).toEqual(['default', 'region', 'email']);
    expect(names(layout.groups[0]!.nodes)).toEqual(['step']);
    expect(names(layout.actions)).toEqual(['action']);
    expect(names(layout.navigation)).toEqual(['sign-in']);
    expect(layout.scripts).toEqual([]);
  });

  it('keeps several submit buttons in server order (the first is the primary action)', () => {
    const layout = layoutNodes(CODE_STEP.ui.nodes);
    expect(layout.actions.map((n) => (n.type === 'input' ? n.attributes.value : ''))).toEqual(['continue', 'resend']);
    expect(names(layout.groups[0]!.nodes)).toEqual(['code-sent', 'code']);
  });

  it('collects script nodes apart', () => {
    const layout = layoutNodes(CONSENT_STEP.ui.nodes);
    expect(names(layout.scripts)).toEqual(['enhance']);
    expect(layout.groups.map((g) => g.name)).toEqual(['profile', 'consent']);
  });
});

describe('fieldIds', () => {
  it('derives id-safe, unique ids from input names', () => {
    const node = (name: string): FlowNode => ({ type: 'input', group: 'g', attributes: { name, type: 'text' }, messages: [], meta: {} });
    const nodes = [node('traits.email'), node('traits.email'), node('code'), node('')];
    expect([...fieldIds(nodes).values()]).toEqual(['field-traits-email', 'field-traits-email-2', 'field-code', 'field-input']);
  });
});

describe('autofocusTarget', () => {
  it('prefers the first field with an error', () => {
    const target = autofocusTarget(EMAIL_STEP_WITH_ERROR.ui.nodes);
    expect(target?.type === 'input' && target.attributes.name).toBe('email');
  });

  it('else the first empty visible field, never hidden inputs or buttons', () => {
    const target = autofocusTarget(EMAIL_STEP.ui.nodes);
    expect(target?.type === 'input' && target.attributes.name).toBe('region');
  });

  it('is undefined when there is nothing to type', () => {
    expect(autofocusTarget([])).toBeUndefined();
  });
});
