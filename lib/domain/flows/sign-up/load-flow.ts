import { AppError } from '../../errors';
import { fallbackPolicy, type RegionPolicy } from '../../regions/region-policy';
import type { SignUpDeps } from '../sign-up-deps-types';
import type { AccountSnapshot, FlowRecord } from '../sign-up-store';
import type { StepState, Values } from './steps/step-types';

/** The load stage: the flow and its account in one read, and what a submission may do with them. */

export type Found = { flow: FlowRecord; account: AccountSnapshot | null };

/** A submission as loaded: the state it answers and its values. */
export type Loaded = { state: StepState; values: Values };

export function policyFor(deps: SignUpDeps, code: string | null, locale: string): RegionPolicy | null {
  return code ? (deps.regions.find(code) ?? fallbackPolicy(code, locale)) : null;
}

export function stateFrom(deps: SignUpDeps, { flow, account }: Found, now: Date): StepState {
  return { flow, account, policy: policyFor(deps, account?.region ?? flow.region, flow.locale), now };
}

/** Throws 404 for an unknown flow, 403 for a browser flow without its cookie, 410 for an expired one. */
export async function loadActive(deps: SignUpDeps, id: string, boundFlowIds: readonly string[] | null, now: Date): Promise<Found> {
  const found = await deps.store.findFlowWithAccount(id);
  if (!found) throw new AppError('signup.flow_not_found', { status: 404 });
  const { flow } = found;
  if (flow.cookieBound && !boundFlowIds?.includes(id)) throw new AppError('signup.flow_foreign', { status: 403 });
  if (flow.state === 'active' && flow.expiresAt <= now) throw new AppError('signup.flow_expired', { status: 410 });
  return found;
}

/** The flow as it now is (after writes this code did not follow one by one). */
export async function stateById(deps: SignUpDeps, id: string, now: Date): Promise<StepState> {
  const found = await deps.store.findFlowWithAccount(id);
  if (!found) throw new AppError('signup.flow_not_found', { status: 404 });
  return stateFrom(deps, found, now);
}

/**
 * A submission's flow (loadActive), in the locale the person now reads (remembered for mail while
 * the flow is active), with each value cut at 4 KiB.
 */
export async function loadSubmission(
  deps: SignUpDeps,
  id: string,
  rawValues: Values,
  ctx: { locale?: string | null; boundFlowIds: readonly string[] | null },
  now: Date,
): Promise<Loaded> {
  const found = await loadActive(deps, id, ctx.boundFlowIds, now);
  let { flow } = found;
  if (flow.state === 'active' && ctx.locale && ctx.locale !== flow.locale) {
    await deps.store.patchFlow(id, { locale: ctx.locale });
    flow = { ...flow, locale: ctx.locale };
  }
  const values: Values = Object.fromEntries(Object.entries(rawValues).map(([k, v]) => [k, String(v).slice(0, 4096)]));
  return { state: stateFrom(deps, { flow, account: found.account }, now), values };
}
