import { randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { Env } from '../config/env';
import type { IdpConfig } from '../config/idp-config-schema';
import { regionDirectoryOf } from '../config/region-directory';
import { signUpLimitsOf } from '../config/sign-up-limits';
import { isConfiguredSocialProvider, type SocialProviderConfig } from '../config/schema/social-providers';
import type { AccountRepository } from '../domain/accounts/account-repository';
import type { PasswordHasher } from '../domain/credentials/password-hasher';
import type { SignUpDeps } from '../domain/flows/sign-up-deps-types';
import { createSignUpService } from '../domain/flows/sign-up-service';
import type { EmailCodeSignInDeps } from '../domain/sign-in/email-code-sign-in';
import { eventsPerWindowPolicy, type LockoutPolicy } from '../domain/sign-in/lockout';
import type { PasswordSignInDeps } from '../domain/sign-in/password-sign-in';
import type { UpstreamSignInDeps } from '../domain/sign-in/upstream-sign-in';
import { translateFlowMessage } from '../i18n/flow-messages';
import { createEmailCodes } from '../infra/crypto/email-codes';
import { createPasswordHasher } from '../infra/crypto/argon2-password-hasher';
import { sqlOf, type Db } from '../infra/db/client';
import { createFailureLimiter } from '../infra/db/failure-counter-store';
import { OidcSqlAdapter, startOidcCleanup } from '../infra/db/oidc-sql-adapter';
import { createPrismaAccountRepository } from '../infra/db/prisma-account-repository';
import { createPrismaPairwiseSubjectStore } from '../infra/db/prisma-pairwise-subject-store';
import { createSignInCodeStore } from '../infra/db/sign-in-code-store';
import { createSqlSignUpStore } from '../infra/db/sql-sign-up-store';
import { createUpstreamIdentityStore } from '../infra/db/upstream-identity-store';
import { createUpstreamLoginStore, linkCodeScope, type UpstreamLogin, type UpstreamLoginStore } from '../infra/db/upstream-login-store';
import { KEY_RELOAD_INTERVAL_MS, loadSigningKeys } from '../infra/keys/signing-key-store';
import { findLegalDocument } from '../infra/legal/legal-document-files';
import { createMailOutbox, type MailOutbox } from '../infra/mail/mail-outbox';
import { startOutboxWorker, type OutboxWorker } from '../infra/mail/outbox-worker';
import { createSignUpMailer } from '../infra/mail/sign-up-mailer';
import { createZxcvbnEstimator } from '../infra/password-strength/zxcvbn-estimator';
import { createSmtpSender, fromAddress } from '../infra/mail/smtp-sender';
import { renderSignInCodeMail } from '../infra/mail/templates';
import { createUpstreamConnector, type UpstreamConnector } from '../infra/upstream/oidc-connector';
import { createInteractions, type Interactions } from '../protocol/interactions';
import { createPairwiseRuntime, type PairwiseRuntime } from '../protocol/pairwise';
import type { ProviderRuntime } from '../protocol/provider';
import { createSignUpInteractions, type SignUpInteractions } from '../protocol/sign-up-interaction';
import { OwnTokenVerifier } from '../protocol/subject-tokens/own-token-verifier';
import { providerSigningJwks } from '../protocol/signing-jwks';
import { createSignUpFacade, type SignUpFacade } from './sign-up-facade';

/**
 * The composition root: every service of the process is built here, once, from the ports the
 * domain (and oidc-provider) declare and the adapters in lib/infra. Nothing else constructs a
 * service or keeps one at module scope; routes, pages, server.mjs (through instrumentation.ts),
 * the CLI and tests get them from `getServices()` (lib/composition/services.ts) or, with their
 * own database and configuration, from `createServices`.
 * Services are built on first use: a CLI command that only reads accounts starts no argon2id
 * workers, no mail worker and no provider.
 */
export type Services = {
  readonly env: Env;
  readonly config: IdpConfig;
  readonly accounts: AccountRepository;
  readonly passwordHasher: PasswordHasher & { isSaturated(): boolean };
  readonly passwordSignIn: PasswordSignInDeps;
  readonly emailCodeSignIn: EmailCodeSignInDeps;
  readonly upstreamSignIn: UpstreamSignInDeps;
  readonly upstream: UpstreamServices;
  readonly signUp: SignUpFacade;
  readonly mail: MailServices;
  readonly pairwise: PairwiseRuntime;
  /** Verifies our own access and ID tokens (route handlers outside oidc-provider). */
  readonly ownTokens: OwnTokenVerifier;
  readonly legalDocuments: { find: typeof findLegalDocument };
  /** The oidc-provider instance (rebuilt when another process rotates the keys). */
  provider(): Promise<Provider>;
  readonly interactions: Interactions & SignUpInteractions;
};

export type UpstreamServices = {
  /** A configured (has a client id) social provider by id, or null. */
  findProvider(id: string): SocialProviderConfig | null;
  readonly connector: UpstreamConnector;
  readonly logins: UpstreamLoginStore;
  /** The scope of the email codes that prove a pending link (one per upstream state). */
  linkCodeScope(state: string): string;
  /** The pending link of an upstream sign-in and what the person can prove it with; null when gone. */
  pendingLink(state: string): Promise<{ login: UpstreamLogin; account: { id: string; email: string }; hasPassword: boolean } | null>;
};

export type MailServices = {
  readonly outbox: MailOutbox;
  /** Starts sending the outbox over SMTP_URL in this process; without SMTP_URL mail stays in the outbox. */
  startDelivery(): void;
  /** The demo outbox page shows mail nobody receives: only without SMTP_URL, in demo mode. */
  readonly outboxPageEnabled: boolean;
};

export type RootInputs = { env: Env; config: IdpConfig; db: Db };

/** `build` once, on first use. */
function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

function signInLockout(config: IdpConfig): { perAccount: LockoutPolicy; perIp: LockoutPolicy } {
  const lockout = config.policies.sign_in_lockout;
  const perAccount = {
    maxFailures: lockout.max_failures,
    windowSeconds: lockout.window_seconds,
    baseLockoutSeconds: lockout.base_lockout_seconds,
    maxLockoutSeconds: lockout.max_lockout_seconds,
  };
  return { perAccount, perIp: { ...perAccount, maxFailures: lockout.ip_max_failures } };
}

export function createServices({ env, config, db }: RootInputs): Services {
  const resolveDb = () => db;
  const sql = () => sqlOf(db);
  const limits = config.policies.signup;
  const lockout = signInLockout(config);
  const origin = `${env.publicUrl.origin}${env.publicUrl.pathname.replace(/\/$/, '')}`;

  const accounts = createPrismaAccountRepository(resolveDb);
  const passwordHasher = once(() => createPasswordHasher({ maxConcurrent: env.passwordHashConcurrency }));
  const emailCodes = once(() => createEmailCodes(env.cookieSecrets));

  let mailWorker: OutboxWorker | undefined;
  const mailOutbox = once(() => createMailOutbox(sql, { deliver: Boolean(env.smtpUrl), onQueued: () => mailWorker?.wake() }));
  const mail: MailServices = {
    get outbox() {
      return mailOutbox();
    },
    startDelivery() {
      if (mailWorker) return;
      if (!env.smtpUrl) {
        if (env.nodeEnv === 'production') console.warn('[mail] SMTP_URL is not set: mail stays in the outbox table and is not delivered');
        return;
      }
      const sender = createSmtpSender(env.smtpUrl, fromAddress(env.publicUrl), { sendTimeoutMs: env.mailSendTimeoutMs });
      mailWorker = startOutboxWorker({ outbox: mailOutbox(), send: sender.send, sendTimeoutMs: env.mailSendTimeoutMs });
    },
    outboxPageEnabled: !env.smtpUrl && env.demoMode,
  };

  const perWindow = (limit: number, windowSeconds: number) => createFailureLimiter(db, eventsPerWindowPolicy(limit, windowSeconds));

  const passwordSignIn = once(
    (): PasswordSignInDeps => ({
      accounts,
      hasher: passwordHasher(),
      emailLimiter: createFailureLimiter(db, lockout.perAccount),
      ipLimiter: createFailureLimiter(db, lockout.perIp),
    }),
  );

  // The sign-up's code lifetime, attempts, resend wait and send limits apply to sign-in codes too.
  const emailCodeSignIn = once(
    (): EmailCodeSignInDeps => ({
      codes: createSignInCodeStore(resolveDb, (tx, code) => mailOutbox().queue(tx, renderSignInCodeMail(code))),
      accounts,
      emailCodes: emailCodes(),
      limiters: {
        sendsPerEmail: perWindow(limits.code_sends_per_email_per_hour, 3600),
        sendsPerIp: perWindow(limits.code_sends_per_ip_per_hour, 3600),
        failuresPerIp: perWindow(limits.code_failures_per_ip, 900),
      },
      limits: { ttlSeconds: limits.code_ttl_seconds, maxAttempts: limits.code_max_attempts, resendSeconds: limits.code_resend_seconds },
    }),
  );

  const upstreamSignIn: UpstreamSignInDeps = { identities: createUpstreamIdentityStore(resolveDb), accounts };
  const upstreamLogins = createUpstreamLoginStore(resolveDb);
  const upstreamConnector = once(createUpstreamConnector);
  const upstream: UpstreamServices = {
    findProvider(id) {
      const provider = config.social_providers.find((p) => p.id === id);
      return provider && isConfiguredSocialProvider(provider) ? provider : null;
    },
    get connector() {
      return upstreamConnector();
    },
    logins: upstreamLogins,
    linkCodeScope,
    async pendingLink(state) {
      const login = await upstreamLogins.find(state);
      const account = login?.linkAccountId && login.expiresAt > new Date() ? await accounts.findById(login.linkAccountId) : null;
      if (!login || !account) return null;
      const hasPassword = Boolean((await accounts.findPasswordHashByEmail(account.email))?.passwordHash);
      return { login, account, hasPassword };
    },
  };

  // The provider and sign-up need each other at run time (sign-up finishes interactions, the
  // provider's readiness prompt asks sign-up): each reaches the other through this closure.
  const backchannelFailures = { count: 0 };
  const pairwise = once(() => createPairwiseRuntime(config, env.pairwiseSalt, createPrismaPairwiseSubjectStore(resolveDb)));
  // Loaded on first use, so that the CLI and pages that never reach the provider do not load
  // oidc-provider (nor print its runtime warning).
  const providerRuntime = once(async (): Promise<ProviderRuntime> => {
    const { createProviderRuntime } = await import('../protocol/provider');
    startOidcCleanup(db);
    return createProviderRuntime({
      env,
      idp: config,
      accounts,
      pairwise: pairwise(),
      adapter: (model) => new OidcSqlAdapter(model, db),
      loadSigningKeys: () => loadSigningKeys(db),
      keyReloadIntervalMs: KEY_RELOAD_INTERVAL_MS,
      readinessOf: (accountId) => signUp().readiness(accountId),
      clientAuthLimiters: { perClient: createFailureLimiter(db, lockout.perAccount), perIp: createFailureLimiter(db, lockout.perIp) },
      backchannelFailures,
    });
  });
  const provider = async (): Promise<Provider> => (await providerRuntime()).provider();
  const interactions: Interactions & SignUpInteractions = { ...createInteractions(provider), ...createSignUpInteractions(provider) };

  const signUpDeps = (): SignUpDeps => ({
    store: createSqlSignUpStore(resolveDb),
    regions: regionDirectoryOf(config),
    limits: signUpLimitsOf(limits),
    hasher: passwordHasher(),
    passwordStrength: createZxcvbnEstimator(),
    codes: emailCodes(),
    mailer: createSignUpMailer(mailOutbox(), sql),
    limiters: {
      sendsPerEmail: perWindow(limits.code_sends_per_email_per_hour, 3600),
      sendsPerIp: perWindow(limits.code_sends_per_ip_per_hour, 3600),
      codeFailuresPerIp: perWindow(limits.code_failures_per_ip, 900),
      flowsPerIp: perWindow(limits.flows_per_ip, 600),
    },
    translate: translateFlowMessage,
    interactions: { finish: (uid, result) => interactions.finishByUid(uid, result) },
    links: {
      codeLink: (flowId, code) => `${origin}/signup/${encodeURIComponent(flowId)}/verify?code=${encodeURIComponent(code)}`,
      signInNotice: () => `${origin}/`,
      document: (region, documentId) => `/legal/${encodeURIComponent(region)}/${encodeURIComponent(documentId)}`,
      signIn: (uid) => `/interaction/${encodeURIComponent(uid)}?mode=signin`,
      home: () => '/',
    },
    newFlowId: () => randomBytes(32).toString('base64url'),
    logError: (message, error) => console.error(message, error),
  });
  const signUp = once((): SignUpFacade => createSignUpFacade({ service: createSignUpService(signUpDeps()), config, interactions }));

  const ownTokens = once(() => new OwnTokenVerifier(env.issuer, async () => ({ keys: providerSigningJwks((await loadSigningKeys(db)).publicJwks.keys) })));

  return {
    env,
    config,
    accounts,
    get passwordHasher() {
      return passwordHasher();
    },
    get passwordSignIn() {
      return passwordSignIn();
    },
    get emailCodeSignIn() {
      return emailCodeSignIn();
    },
    upstreamSignIn,
    upstream,
    get signUp() {
      return signUp();
    },
    mail,
    get pairwise() {
      return pairwise();
    },
    get ownTokens() {
      return ownTokens();
    },
    legalDocuments: { find: findLegalDocument },
    provider,
    interactions,
  };
}
