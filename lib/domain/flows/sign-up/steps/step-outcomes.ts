import type { MessageRef, Rejected, StepOutcome } from './step-types';

/** The answers a step handler gives to input it will not write. */

export const reject = (status: number, fields: Record<string, MessageRef[]>, extra: Partial<Rejected> = {}): StepOutcome => ({
  kind: 'rejected',
  status,
  fields,
  ...extra,
});

export const field = (name: string, id: string, context?: Record<string, string | number>) => ({ [name]: [{ id, ...(context ? { context } : {}) }] });
export const flowError = (status: number, id: string, context?: Record<string, string | number>, retryAfterSeconds?: number): StepOutcome => ({
  kind: 'rejected',
  status,
  messages: [{ id, ...(context ? { context } : {}) }],
  ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
});

/** A lifetime as the minutes a message shows (at least one). */
export function minutesFor(seconds: number) {
  return Math.max(1, Math.ceil(seconds / 60));
}
