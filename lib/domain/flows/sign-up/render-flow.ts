import type { Flow, FlowMessage, FlowNode } from '../flow';
import { NodeKit } from '../flow-nodes';
import { nextStep } from '../sign-up-steps';
import type { SignUpDeps } from '../sign-up-deps-types';
import type { Feedback, FlowRecord } from '../sign-up-store';
import { localize } from './feedback';
import { SCREEN_STEPS_FIELD, screenOf } from './screens';
import type { StepDefinition, StepState } from './steps/step-types';

/** The render stage: a flow's state as the instruction of the flow contract (flow.ts), in `locale`. */

/** Where a finished flow sends the person (`continue_to`); null while it is active. */
export function continueToOf(deps: SignUpDeps, flow: Pick<FlowRecord, 'state' | 'continueTo'>): string | null {
  if (flow.state === 'complete') return flow.continueTo ?? deps.links.home();
  return flow.state === 'refused' ? flow.continueTo : null;
}

function mergeFeedback(nodes: FlowNode[], kit: NodeKit, feedback: Feedback | null): FlowNode[] {
  if (!feedback) return nodes;
  return nodes.map((node) => {
    if (node.type !== 'input') return node;
    const messages = feedback.fields[node.attributes.name];
    return messages ? { ...node, messages: [...node.messages, ...localize(kit, messages)] } : node;
  });
}

/** The instruction's nodes: one step's, or a screen's steps' with one submit button (the last step's). */
function screenNodes(deps: SignUpDeps, state: StepState, step: StepDefinition, kit: NodeKit, feedback: Feedback | null): FlowNode[] {
  const screen = screenOf(state, step);
  const nodes: FlowNode[] = [kit.hidden('step', step.id)];
  if (screen.length > 1) nodes.push(kit.hidden(SCREEN_STEPS_FIELD, screen.map((s) => s.id).join(',')));
  screen.forEach((s, i) => {
    const own = s.render(state, kit, deps, feedback);
    nodes.push(...(i === screen.length - 1 ? own : own.filter((n) => !(n.type === 'input' && n.attributes.type === 'submit'))));
  });
  return mergeFeedback(nodes, kit, feedback);
}

/** `extra`: messages shown with this answer only (not stored on the flow). */
export function renderFlow(deps: SignUpDeps, state: StepState, locale: string, extra: FlowMessage[] = []): Flow {
  const { flow } = state;
  const kit = new NodeKit(locale, deps.translate);
  const base = {
    id: flow.id,
    type: 'signup' as const,
    expires_at: flow.expiresAt.toISOString(),
    locale,
    region: state.account?.region ?? flow.region,
  };
  const ui = (nodes: FlowNode[], messages: FlowMessage[]) => ({ action: `/api/flows/${flow.id}`, method: 'POST' as const, nodes, messages: [...messages, ...extra] });
  if (flow.state === 'complete') {
    const continueTo = flow.continueTo ?? deps.links.home();
    return {
      ...base,
      state: 'complete',
      ui: ui(
        [kit.text('complete', 'signup-complete', kit.message('signup.complete.done', 'success')), kit.link('complete', 'continue', continueTo, kit.label('signup.complete.continue'))],
        localize(kit, flow.feedback?.messages ?? []),
      ),
      continue_to: continueTo,
    };
  }
  if (flow.state === 'refused') {
    const back = flow.continueTo ?? deps.links.home();
    return {
      ...base,
      state: 'refused',
      ui: ui(
        [
          ...localize(kit, flow.feedback?.messages ?? []).map((m, i) => kit.text('refused', `refused-${i}`, m)),
          kit.link('refused', 'back', back, kit.label(flow.interactionUid ? 'signup.refused.back_to_app' : 'signup.refused.home')),
        ],
        [],
      ),
      ...(flow.continueTo ? { continue_to: flow.continueTo } : {}),
    };
  }
  const step = nextStep(state);
  const feedback = flow.feedback && (flow.feedback.step === (step?.id ?? 'complete') || flow.feedback.step === '*') ? flow.feedback : null;
  const nodes: FlowNode[] = step
    ? screenNodes(deps, state, step, kit, feedback)
    : [kit.hidden('step', 'complete'), kit.text('complete', 'signup-ready', kit.message('signup.ready')), kit.submit('continue', 'signup.action.finish')];
  if (flow.interactionUid && !flow.accountId) {
    nodes.push(kit.link('navigation', 'sign-in', deps.links.signIn(flow.interactionUid), kit.label('signup.nav.sign_in')));
  }
  return { ...base, state: 'active', ui: ui(nodes, localize(kit, feedback?.messages ?? [])) };
}
