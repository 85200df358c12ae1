import type { PasswordHasher } from '../credentials/password-hasher';
import type { PasswordStrengthEstimator } from '../credentials/password-strength';
import type { RegionPolicy } from '../regions/region-policy';
import type { FailureLimiter } from '../sign-in/lockout';
import type { Translate } from './flow-nodes';
import type { SignUpMailer, SignUpStore } from './sign-up-store';

/** Lifetimes and per-flow limits (policies.signup in idp.config.yaml). */
export type SignUpLimits = {
  flowTtlSeconds: number;
  codeTtlSeconds: number;
  codeMaxAttempts: number;
  codeResendSeconds: number;
  codeSendsPerFlow: number;
};

/** One-time email codes: 6 random digits, stored as a keyed hash tagged with flow and purpose. */
export interface EmailCodes {
  generate(): string;
  hash(input: { flowId: string; purpose: string; code: string }): string;
  /** Constant-time comparison of a stored hash with a candidate code. */
  matches(hash: string, input: { flowId: string; purpose: string; code: string }): boolean;
}

export interface RegionDirectory {
  find(code: string): RegionPolicy | undefined;
  /** In configuration order. */
  list(): RegionPolicy[];
}

/** The OIDC interaction a flow finishes (lib/protocol); the domain never sees the provider. */
export interface SignUpInteractions {
  /** Saves the result; returns the URL that resumes the authorization request, or null when it expired. */
  /** `amr`: how the person authenticated (default: the password). */
  finish(uid: string, result: { accountId: string; amr?: string[] } | { error: 'access_denied'; description: string }): Promise<string | null>;
}

/** Where links point (absolute for mail, site-relative for nodes). */
export interface SignUpLinks {
  /** The link in the code mail (browser flows only). */
  codeLink(flowId: string, code: string): string;
  /** Where the owner of an address that already has an account is sent to sign in. */
  signInNotice(): string;
  /** A region's document, for the terms checkboxes. */
  document(region: string, documentId: string): string;
  /** Back to the sign-in page of an interaction. */
  signIn(interactionUid: string): string;
  /** Where a finished flow without an interaction goes. */
  home(): string;
}

export type SignUpLimiters = {
  sendsPerEmail: FailureLimiter;
  sendsPerIp: FailureLimiter;
  codeFailuresPerIp: FailureLimiter;
  flowsPerIp: FailureLimiter;
};

export type SignUpDeps = {
  store: SignUpStore;
  regions: RegionDirectory;
  limits: SignUpLimits;
  hasher: PasswordHasher;
  passwordStrength: PasswordStrengthEstimator;
  codes: EmailCodes;
  mailer: SignUpMailer;
  limiters: SignUpLimiters;
  translate: Translate;
  interactions: SignUpInteractions;
  links: SignUpLinks;
  clock?: () => Date;
  /** 256 random bits, URL-safe. */
  newFlowId: () => string;
  /** Logs a failure that the person sees only as a generic message (mail delivery). */
  logError?: (message: string, error: unknown) => void;
};
