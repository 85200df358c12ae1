import type { SignUpDeps } from '../sign-up-deps-types';
import type { FlowRecord, SignUpTx } from '../sign-up-store';
import { nextOnScreen, type Screen } from './screens';
import { settleFlow } from './settle-flow';
import type { StepOutcome, StepRuntime, StepState } from './steps/step-types';

/**
 * The claim stage. A step writes through `commit` of the runtime it is given: one transaction
 * that first claims the flow (its version as loaded; sliding its expiry and clearing old
 * feedback), then runs the step's writes, then settles the flow (settle-flow.ts). A lost claim
 * (another submission got there first) writes nothing.
 */

/** A later step of a screen that ran inside the transaction of the step before it. */
export type Inlined = { stepId: string; outcome: StepOutcome };

export type ClaimingRuntime = StepRuntime & {
  /** The state the last commit left (null before any). */
  settled(): StepState | null;
  /** The last screen step that ran inline (null when none did). */
  lastInlined(): Inlined | null;
};

/**
 * `tx` with the flow's row kept in step: the claim returned it and holds it until the commit
 * (claimFlow), so the step's own writes to it are all that can change it.
 */
function tracking(tx: SignUpTx, claimed: FlowRecord): { tx: SignUpTx; flow(): FlowRecord } {
  let flow = claimed;
  return {
    tx: {
      ...tx,
      async updateFlow(id, patch) {
        await tx.updateFlow(id, patch);
        if (id !== flow.id) return;
        // As the store writes it: keys left undefined are not written.
        const written = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<FlowRecord>;
        flow = { ...flow, ...written };
      },
      async deleteAccount(id) {
        await tx.deleteAccount(id);
        // The flow's account_id is ON DELETE SET NULL.
        if (flow.accountId === id) flow = { ...flow, accountId: null };
      },
    },
    flow: () => flow,
  };
}

/**
 * A step runtime whose commits claim `flow` and settle it. Given a screen, a commit goes on with
 * the screen's next steps that can run inline (see StepDefinition.inline) in the same
 * transaction, each as if submitted alone once the one before is done, until one is refused or
 * not inline.
 */
export function claimingRuntime(deps: SignUpDeps, flow: FlowRecord, ip: string, now: Date, screen?: Screen): ClaimingRuntime {
  let settled: StepState | null = null;
  let lastInlined: Inlined | null = null;

  async function continueScreen(tx: SignUpTx, current: () => FlowRecord, stepId: string): Promise<void> {
    for (let next = nextOnScreen(settled, stepId, screen); next?.inline && settled && screen; next = nextOnScreen(settled, stepId, screen)) {
      const before: StepState = settled;
      settled = null;
      const inner: StepRuntime = {
        deps,
        now,
        ip,
        async commit(write) {
          const value = await write(tx);
          settled = await settleFlow(deps, tx, current(), now);
          return { lost: false, value };
        },
      };
      const outcome = await next.handle(before, screen.values, inner);
      stepId = next.id;
      lastInlined = { stepId, outcome };
      if (outcome.kind !== 'ok' || !settled) {
        settled ??= before;
        return;
      }
    }
  }

  return {
    deps,
    now,
    ip,
    commit: (write) =>
      deps.store.transaction(async (tx) => {
        const claimed = await tx.claimFlow(flow.id, flow.version, { feedback: null, expiresAt: new Date(now.getTime() + deps.limits.flowTtlSeconds * 1000) });
        if (!claimed) return { lost: true as const };
        const tracked = tracking(tx, claimed);
        const value = await write(tracked.tx);
        settled = await settleFlow(deps, tracked.tx, tracked.flow(), now);
        if (screen) await continueScreen(tracked.tx, tracked.flow, screen.stepId);
        return { lost: false as const, value };
      }),
    settled: () => settled,
    lastInlined: () => lastInlined,
  };
}
