import { AppError } from '../../errors';
import { NodeKit } from '../flow-nodes';
import type { SignUpDeps } from '../sign-up-deps-types';
import type { FlowRecord, NewFlowRecord } from '../sign-up-store';
import { enterStep } from './enter-step';
import { feedbackOf } from './feedback';
import { policyFor } from './load-flow';
import type { StepState } from './steps/step-types';

export type StartInput = {
  locale: string;
  /** Preselects the region (a `region` parameter, the app's hint); ignored when not offered. */
  regionHint?: string | null;
  /** The interaction's client's regions: the only ones offered. */
  clientRegions?: string[] | null;
  interactionUid?: string | null;
  /** Continue an existing (unready) account: its missing steps only. */
  accountId?: string | null;
  /** Browser flows are bound to the browser by a cookie holding the flow id. */
  cookieBound: boolean;
  ip: string;
  /** How the person already authenticated (a social sign-in: ['fed']): the amr of the login the flow finishes with. */
  authMethods?: string[] | null;
};

const CLEANUP_PROBABILITY = 0.01;
const CLEANUP_GRACE_MS = 86_400_000;

/**
 * A new flow, counted against the IP's allowance (429 when it is used up). Its state as just
 * written; null when entering its first step changed it (an existing account continuing into
 * email_code gets a code), so that only a read shows it.
 */
export async function startFlow(deps: SignUpDeps, input: StartInput, now: Date): Promise<{ id: string; state: StepState | null }> {
  const { store, regions } = deps;
  const configured = new Set(regions.list().map((r) => r.code));
  const clientRegions = input.clientRegions ? input.clientRegions.filter((r) => configured.has(r)) : null;
  const offered = clientRegions ?? [...configured];
  const hint = input.regionHint?.toUpperCase();
  let region = hint && offered.includes(hint) ? hint : offered.length === 1 ? (offered[0] ?? null) : null;
  const account = input.accountId ? await store.findAccount(input.accountId) : null;
  if (input.accountId) {
    if (!account) throw new AppError('signup.flow_not_found', { status: 404 });
    region = account.region;
  }
  const id = deps.newFlowId();
  const created: NewFlowRecord = {
    id,
    state: 'active',
    region,
    locale: input.locale,
    interactionUid: input.interactionUid ?? null,
    accountId: input.accountId ?? null,
    cookieBound: input.cookieBound,
    clientRegions: clientRegions && clientRegions.length > 0 ? clientRegions : null,
    authMethods: input.authMethods ?? null,
    expiresAt: new Date(now.getTime() + deps.limits.flowTtlSeconds * 1000),
  };
  // The flow and its count against the IP's allowance commit together; a locked IP gets neither.
  const ipState = await store.transaction(async (tx) => {
    const counted = await deps.limiters.flowsPerIp.recordFailure(`signup:flows:ip:${input.ip}`, tx);
    if (!counted.locked) await tx.insertFlow(created);
    return counted;
  });
  if (ipState.locked) {
    const retryAfterSeconds = ipState.retryAfterSeconds ?? 60;
    throw new AppError('signup.rate_limited', { status: 429, details: { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)), retryAfterSeconds } });
  }
  if (Math.random() < CLEANUP_PROBABILITY) {
    store.deleteExpiredFlows(new Date(now.getTime() - CLEANUP_GRACE_MS)).catch((e: unknown) => deps.logError?.('[signup] cleanup failed', e));
  }
  // The flow as just written, with the account read above: neither is read back.
  const flow: FlowRecord = { ...created, version: 0, email: null, continueTo: null, feedback: null, authMethods: created.authMethods ?? null, createdAt: now };
  const state: StepState = { flow, account, policy: policyFor(deps, account?.region ?? region, input.locale), now };
  const entered = input.accountId ? await enterStep(deps, state, input.ip, now) : null;
  if (entered && entered !== 'sent') await store.patchFlow(id, { feedback: feedbackOf(new NodeKit(input.locale, deps.translate), 'email_code', entered) });
  return { id, state: entered ? null : state };
}
