import type { RegionPolicy, SignUpStepId } from '../../../regions/region-policy';
import type { FlowNode } from '../../flow';
import type { NodeKit } from '../../flow-nodes';
import type { SignUpDeps } from '../../sign-up-deps-types';
import type { AccountSnapshot, Feedback, FlowRecord, SignUpTx } from '../../sign-up-store';

/** What a sign-up step is: the shape every row of the step table (sign-up-steps.ts) has. */

export type FlowStepId = 'region' | SignUpStepId;

export type StepState = {
  flow: FlowRecord;
  account: AccountSnapshot | null;
  policy: RegionPolicy | null;
  now: Date;
};

export type MessageRef = { id: string; context?: Record<string, string | number> };

export type StepOutcome =
  | { kind: 'ok'; info?: MessageRef }
  | {
      kind: 'rejected';
      status: number;
      fields?: Record<string, MessageRef[]>;
      messages?: MessageRef[];
      /** Values to show again; never secrets. */
      values?: Record<string, string>;
      strength?: number;
      retryAfterSeconds?: number;
    }
  | { kind: 'refused'; reason: MessageRef }
  | { kind: 'lost' };

export type StepRuntime = {
  deps: SignUpDeps;
  now: Date;
  ip: string;
  /** Runs `write` in one transaction after claiming the flow (and sliding its expiry). */
  commit<T>(write: (tx: SignUpTx) => Promise<T>): Promise<{ lost: true } | { lost: false; value: T }>;
};

export type Values = Record<string, string>;

export type StepDefinition = {
  id: FlowStepId;
  /** Whether the step is part of this person's flow at all. */
  applies(s: StepState): boolean;
  done(s: StepState): boolean;
  render(s: StepState, kit: NodeKit, deps: SignUpDeps, feedback: Feedback | null): FlowNode[];
  handle(s: StepState, values: Values, rt: StepRuntime): Promise<StepOutcome>;
  /**
   * The handler does no I/O before its one commit (no hash, no read outside the transaction), so
   * on a screen it may run inside the transaction of the step before it.
   */
  inline?: true;
};

export type Rejected = Extract<StepOutcome, { kind: 'rejected' }>;
