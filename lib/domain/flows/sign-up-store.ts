import type { AccountStatus } from '../accounts/account';
import type { FlowMessage } from './flow';

/** Ports of the sign-up orchestrator; lib/infra/db/sql-sign-up-store.ts implements the store. */

export type FlowRecordState = 'active' | 'complete' | 'refused';

/** What a rejected submission leaves for the next render (post/redirect/get): never a secret. */
export type Feedback = {
  step: string;
  messages: FlowMessage[];
  /** Messages tied to an input, by its name. */
  fields: Record<string, FlowMessage[]>;
  /** Values to show again (never passwords or codes). */
  values: Record<string, string>;
  /** zxcvbn score of a rejected password. */
  strength?: number;
};

export type FlowRecord = {
  id: string;
  version: number;
  state: FlowRecordState;
  region: string | null;
  locale: string;
  interactionUid: string | null;
  accountId: string | null;
  /** The address being verified (normalized), before the account exists. */
  email: string | null;
  cookieBound: boolean;
  /** Regions the interaction's client serves: the only ones offered; null = every configured region. */
  clientRegions: string[] | null;
  continueTo: string | null;
  feedback: Feedback | null;
  /** RFC 8176 values of how the person authenticated before the flow (a social sign-in: fed); null = password. */
  authMethods: string[] | null;
  expiresAt: Date;
  createdAt: Date;
};

export type NewFlowRecord = Omit<FlowRecord, 'version' | 'createdAt' | 'continueTo' | 'feedback' | 'email' | 'authMethods'> & {
  email?: string | null;
  authMethods?: string[] | null;
};

export type FlowPatch = Partial<Pick<FlowRecord, 'state' | 'region' | 'locale' | 'accountId' | 'email' | 'continueTo' | 'feedback' | 'expiresAt'>>;

export type AccountAcceptance = { region: string; documentId: string; version: string };

/** An account as readiness sees it: what it has, and which steps it completed. */
export type AccountSnapshot = {
  id: string;
  email: string;
  emailVerified: boolean;
  status: AccountStatus;
  region: string;
  locale: string;
  hasPassword: boolean;
  /** Linked to an upstream (social) identity: a credential other than a password. */
  hasUpstreamIdentity: boolean;
  birthDate: string | null;
  name: string | null;
  marketingOptIn: boolean | null;
  /** Step ids recorded as completed (by sign-up or by an operator). */
  steps: ReadonlySet<string>;
  acceptances: readonly AccountAcceptance[];
};

export type CodeRecord = {
  id: string;
  flowId: string;
  purpose: string;
  email: string;
  codeHash: string;
  attempts: number;
  decoy: boolean;
  expiresAt: Date;
  consumedAt: Date | null;
  createdAt: Date;
};

export type NewCodeRecord = Omit<CodeRecord, 'id' | 'attempts' | 'consumedAt' | 'createdAt'> & { createdAt: Date };

export type StepSource = 'signup' | 'operator';

export type AccountPatch = Partial<{
  passwordHash: string;
  birthDate: string;
  name: string;
  marketingOptIn: boolean;
  status: AccountStatus;
  emailVerified: boolean;
}>;

/**
 * Writes of one submission; everything in one database transaction. The store may hold account
 * writes until the commit (one statement for several); the transaction's reads see them.
 */
export interface SignUpTx {
  /**
   * Bumps the flow's version if it is still `expectedVersion` (and applies `patch`), and returns
   * the flow as it now is; null when another submission got there first. Must be the
   * transaction's first write: it serializes submissions of one flow (PostgreSQL row lock, SQLite
   * write lock), so the flow returned stays current until the transaction ends but for its own writes.
   */
  claimFlow(id: string, expectedVersion: number, patch?: FlowPatch): Promise<FlowRecord | null>;
  /** A new flow (its first write: nothing else can see it before the commit). */
  insertFlow(flow: NewFlowRecord): Promise<void>;
  findAccount(id: string): Promise<AccountSnapshot | null>;
  updateFlow(id: string, patch: FlowPatch): Promise<void>;
  insertCode(code: NewCodeRecord): Promise<void>;
  /** Ends every unconsumed code of the flow (a new one replaces them). */
  retireCodes(flowId: string, now: Date): Promise<void>;
  /**
   * Counts one attempt on a live code (attempts < max, unconsumed) and, given `consumeAt`, marks it
   * used in the same statement; null when there is no live code.
   */
  countCodeAttempt(codeId: string, maxAttempts: number, consumeAt?: Date | null): Promise<CodeRecord | null>;
  findAccountByEmail(email: string): Promise<AccountSnapshot | null>;
  /**
   * A pending account for `email`; `created: false` with the id of the account that already has
   * the address (nothing is written then).
   */
  createAccount(input: { email: string; region: string; locale: string; emailVerified: boolean }): Promise<{ id: string; created: boolean }>;
  updateAccount(id: string, patch: AccountPatch): Promise<void>;
  /** Deletes the account and everything recorded for it (a refused sign-up keeps nothing). */
  deleteAccount(id: string): Promise<void>;
  /** Idempotent: a second record of the same step changes nothing. */
  recordStep(accountId: string, step: string, source: StepSource): Promise<void>;
  /** recordStep for several steps, in one statement. */
  recordSteps(accountId: string, steps: readonly string[], source: StepSource): Promise<void>;
  /** Idempotent per (account, region, document, version). */
  recordAcceptance(input: { accountId: string; region: string; documentId: string; version: string; locale: string; source: StepSource }): Promise<void>;
  recordConsent(input: { accountId: string; purpose: 'marketing'; granted: boolean; method: 'opt_in' | 'opt_out'; region: string; locale: string }): Promise<void>;
  recordGuardianConsent(input: { accountId: string; guardianName: string; guardianEmail: string }): Promise<void>;
  recordIdentityVerification(input: { accountId: string; method: string }): Promise<void>;
}

export interface SignUpStore {
  findFlow(id: string): Promise<FlowRecord | null>;
  insertFlow(flow: NewFlowRecord): Promise<void>;
  /** A write outside any submission (feedback of a rejected one, the locale the person reads). */
  patchFlow(id: string, patch: FlowPatch): Promise<void>;
  findAccount(id: string): Promise<AccountSnapshot | null>;
  /** The flow and its account (if any) in one read: what every submission and render starts from. */
  findFlowWithAccount(id: string): Promise<{ flow: FlowRecord; account: AccountSnapshot | null } | null>;
  latestCode(flowId: string): Promise<CodeRecord | null>;
  countCodes(flowId: string): Promise<number>;
  /** Removes flows (and their codes) that expired before `before`. */
  deleteExpiredFlows(before: Date): Promise<number>;
  transaction<T>(fn: (tx: SignUpTx) => Promise<T>): Promise<T>;
}

/**
 * The mails of sign-up; lib/infra/mail renders them per locale. Each is queued in the step's
 * transaction `within`: sent after it commits (never while the person waits), dropped if it rolls back.
 */
export interface SignUpMailer {
  queueSignUpCode(within: SignUpTx, input: { to: string; locale: string; code: string; minutes: number; link: string | null }): Promise<void>;
  /** Instead of a code, when the address already has an account: the screen does not say so. */
  queueExistingAccountNotice(within: SignUpTx, input: { to: string; locale: string; signInUrl: string }): Promise<void>;
}
