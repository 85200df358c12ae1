// Test support (not a test file): the sign-up service wired to a real database, real argon2id,
// real HMAC codes and limiters, a mailer that records what its transactions commit, a controllable clock and fake interactions.
import { readFileSync } from 'node:fs';
import { parseIdpConfig } from '../config/idp-config';
import { regionDirectoryOf } from '../config/region-directory';
import { signUpLimitsOf } from '../config/sign-up-limits';
import type { IdpConfig } from '../config/idp-config-schema';
import type { SignUpDeps } from '../domain/flows/sign-up-deps-types';
import { createSignUpService, type SignUpService } from '../domain/flows/sign-up-service';
import { eventsPerWindowPolicy } from '../domain/sign-in/lockout';
import { translateFlowMessage } from '../i18n/flow-messages';
import { createEmailCodes } from './crypto/email-codes';
import { createPasswordHasher } from './crypto/argon2-password-hasher';
import { createZxcvbnEstimator } from './password-strength/zxcvbn-estimator';
import { sqlOf, type Db } from './db/client';
import { transactionRunnerOf } from './db/sql-database';
import { createSqlSignUpStore } from './db/sql-sign-up-store';
import { createFailureLimiter } from './db/failure-counter-store';

export type SentMail =
  | { kind: 'code'; to: string; locale: string; code: string; link: string | null }
  | { kind: 'notice'; to: string; locale: string; signInUrl: string };

export type SignUpTestKit = {
  service: SignUpService;
  deps: SignUpDeps;
  mail: SentMail[];
  finished: { uid: string; result: unknown }[];
  /** Moves the clock forward. */
  advance(seconds: number): void;
  now(): Date;
  /** The last code mailed to `to`. */
  codeFor(to: string): string;
};

export function demoConfig(overrides: (yaml: string) => string = (y) => y): IdpConfig {
  const text = readFileSync(new URL('../../idp.config.yaml', import.meta.url), 'utf8');
  return parseIdpConfig(overrides(text), { PUBLIC_URL: 'https://id.example.com' });
}

export function createSignUpTestKit(db: Db, options: { config?: IdpConfig; limits?: Partial<IdpConfig['policies']['signup']>; start?: Date } = {}): SignUpTestKit {
  const config = options.config ?? demoConfig();
  const limits = { ...config.policies.signup, ...options.limits };
  let clock = options.start ?? new Date('2026-11-22T03:00:00.000Z');
  const mail: SentMail[] = [];
  const finished: { uid: string; result: unknown }[] = [];
  const window = (limit: number, windowSeconds: number) => createFailureLimiter(db, eventsPerWindowPolicy(limit, windowSeconds), () => clock);
  let ids = 0;
  /** A mail counts as sent once its transaction commits, as the outbox's would. */
  const onCommit = (within: object, sent: SentMail) => {
    const tx = transactionRunnerOf(within, sqlOf(db));
    if (!tx) throw new Error('sign-up mail queued outside a sign-up transaction');
    tx.afterCommit(() => mail.push(sent));
  };
  const deps: SignUpDeps = {
    store: createSqlSignUpStore(() => db, () => clock),
    regions: regionDirectoryOf(config),
    limits: signUpLimitsOf(limits),
    hasher: createPasswordHasher({ maxConcurrent: 2 }),
    passwordStrength: createZxcvbnEstimator(),
    codes: createEmailCodes(['test-secret-for-email-codes']),
    mailer: {
      async queueSignUpCode(within, input) {
        onCommit(within, { kind: 'code', to: input.to, locale: input.locale, code: input.code, link: input.link });
      },
      async queueExistingAccountNotice(within, input) {
        onCommit(within, { kind: 'notice', to: input.to, locale: input.locale, signInUrl: input.signInUrl });
      },
    },
    limiters: {
      sendsPerEmail: window(limits.code_sends_per_email_per_hour, 3600),
      sendsPerIp: window(limits.code_sends_per_ip_per_hour, 3600),
      codeFailuresPerIp: window(limits.code_failures_per_ip, 900),
      flowsPerIp: window(limits.flows_per_ip, 600),
    },
    translate: translateFlowMessage,
    interactions: {
      async finish(uid, result) {
        finished.push({ uid, result });
        return uid === 'expired-interaction' ? null : `https://id.example.com/oidc/auth/${uid}`;
      },
    },
    links: {
      codeLink: (flowId, code) => `https://id.example.com/signup/${flowId}/verify?code=${code}`,
      signInNotice: () => 'https://id.example.com/',
      document: (region, id) => `/legal/${region}/${id}`,
      signIn: (uid) => `/interaction/${uid}?mode=signin`,
      home: () => '/',
    },
    clock: () => clock,
    newFlowId: () => `test-flow-${String(++ids).padStart(4, '0')}-${Math.random().toString(36).slice(2, 12)}`,
  };
  return {
    service: createSignUpService(deps),
    deps,
    mail,
    finished,
    advance(seconds) {
      clock = new Date(clock.getTime() + seconds * 1000);
    },
    now: () => clock,
    codeFor(to) {
      const found = [...mail].reverse().find((m) => m.kind === 'code' && m.to === to);
      if (!found || found.kind !== 'code') throw new Error(`no code mailed to ${to}`);
      return found.code;
    },
  };
}
