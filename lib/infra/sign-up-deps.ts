import { randomBytes } from 'node:crypto';
import { getEnv } from '../config/env';
import { getIdpConfig } from '../config/idp-config';
import type { IdpConfig } from '../config/idp-config-schema';
import { AppError } from '../domain/errors';
import type { Flow } from '../domain/flows/flow';
import type { Translate } from '../domain/flows/flow-nodes';
import type { RegionDirectory, SignUpDeps } from '../domain/flows/sign-up-deps-types';
import { createSignUpService, type AccountReadiness, type SignUpService, type SubmitResult } from '../domain/flows/sign-up-service';
import type { RegionPolicy } from '../domain/regions/region-policy';
import { matchLocale, resolveLocale, type LocaleSources } from '../i18n/locales';
import { plainText } from '../i18n/plain-text';
import { getPasswordHasher } from './crypto/argon2-password-hasher';
import { createZxcvbnEstimator } from './password-strength/zxcvbn-estimator';
import { hostCookieName, secureAttribute } from './http/cookie-names';
import { getEmailCodes } from './crypto/email-codes';
import { getDb, sqlOf } from './db/client';
import { sqlSignUpStore } from './db/sql-sign-up-store';
import { createSignUpMailer } from './mail/sign-up-mailer';
import { getMailOutbox } from './mail-deps';
import { createFailureLimiter } from './rate-limit/failure-limiter';

/** The cookie binding sign-up flows to a browser: the ids of its recent flows (httpOnly). */
export const SIGNUP_FLOW_COOKIE = 'meridian_signup';
const MAX_BOUND_FLOWS = 4;

/** Flow ids in the flow cookie of a Cookie header. */
export function boundFlowIdsFrom(cookieHeader: string | null | undefined): string[] {
  const name = hostCookieName(SIGNUP_FLOW_COOKIE);
  const raw = cookieHeader
    ?.split(/;\s*/)
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
  if (!raw) return [];
  return decodeURIComponent(raw)
    .split('.')
    .filter((id) => /^[A-Za-z0-9_-]{20,64}$/.test(id));
}

/** Set-Cookie binding `flowId` to this browser (kept with its few most recent flows). */
export function flowCookieFor(flowId: string, cookieHeader: string | null | undefined): string {
  const ids = [flowId, ...boundFlowIdsFrom(cookieHeader).filter((id) => id !== flowId)].slice(0, MAX_BOUND_FLOWS);
  const maxAge = getIdpConfig().policies.signup.flow_ttl_seconds;
  return `${hostCookieName(SIGNUP_FLOW_COOKIE)}=${ids.join('.')}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secureAttribute()}`;
}

export function toRegionPolicy(region: IdpConfig['regions'][number]): RegionPolicy {
  return {
    code: region.code,
    defaultLocale: region.default_locale,
    locales: region.locales,
    steps: region.signup.steps,
    screens: region.signup.screens,
    minimumAge: region.signup.minimum_age ?? null,
    documents: region.signup.documents,
    marketing: region.signup.marketing,
    kycRequired: region.signup.kyc_required,
    phoneCountryCodes: region.phone_country_codes,
  };
}

function regionDirectory(config: IdpConfig): RegionDirectory {
  const list = config.regions.map(toRegionPolicy);
  const byCode = new Map(list.map((p) => [p.code, p]));
  return { find: (code) => byCode.get(code), list: () => list };
}

const keepChunks = (chunks: string) => chunks;

/** Message text for `text` fallbacks: placeholders filled, rich-text tags (<link>, <strong>) dropped. */
export const translateFlowMessage: Translate = (locale, id, context) => plainText(matchLocale(locale) ?? 'en', id, { ...context, link: keepChunks, strong: keepChunks });

function buildDeps(): SignUpDeps {
  const config = getIdpConfig();
  const env = getEnv();
  const limits = config.policies.signup;
  const db = getDb();
  // Sign-up counts each event first and refuses it when that locks the key, so `limit` events
  // pass per window: the limiter locks on the (limit + 1)-th.
  const perWindow = (maxFailures: number, windowSeconds: number) =>
    createFailureLimiter(db, { maxFailures: maxFailures + 1, windowSeconds, baseLockoutSeconds: windowSeconds, maxLockoutSeconds: windowSeconds });
  const origin = `${env.publicUrl.origin}${env.publicUrl.pathname.replace(/\/$/, '')}`;
  return {
    store: sqlSignUpStore,
    regions: regionDirectory(config),
    limits: {
      flowTtlSeconds: limits.flow_ttl_seconds,
      codeTtlSeconds: limits.code_ttl_seconds,
      codeMaxAttempts: limits.code_max_attempts,
      codeResendSeconds: limits.code_resend_seconds,
      codeSendsPerFlow: limits.code_sends_per_flow,
    },
    hasher: getPasswordHasher(),
    passwordStrength: createZxcvbnEstimator(),
    codes: getEmailCodes(),
    mailer: createSignUpMailer(getMailOutbox(), () => sqlOf(getDb())),
    limiters: {
      sendsPerEmail: perWindow(limits.code_sends_per_email_per_hour, 3600),
      sendsPerIp: perWindow(limits.code_sends_per_ip_per_hour, 3600),
      codeFailuresPerIp: perWindow(limits.code_failures_per_ip, 900),
      flowsPerIp: perWindow(limits.flows_per_ip, 600),
    },
    translate: translateFlowMessage,
    interactions: {
      // Imported on use: the provider module graph imports this module (readiness prompt).
      finish: async (uid, result) => (await import('../protocol/sign-up-interaction')).finishInteractionByUid(uid, result),
    },
    links: {
      codeLink: (flowId, code) => `${origin}/signup/${encodeURIComponent(flowId)}/verify?code=${encodeURIComponent(code)}`,
      signInNotice: () => `${origin}/`,
      document: (region, documentId) => `/legal/${encodeURIComponent(region)}/${encodeURIComponent(documentId)}`,
      signIn: (uid) => `/interaction/${encodeURIComponent(uid)}?mode=signin`,
      home: () => '/',
    },
    newFlowId: () => randomBytes(32).toString('base64url'),
    logError: (message, error) => console.error(message, error),
  };
}

export type StartSignUpInput = {
  /** The locale, or where to resolve it from (ui_locales → cookie → Accept-Language → the region's default). */
  locale: string | LocaleSources;
  /** The region hint (validated against the configuration and the client). */
  region?: string | null;
  interactionUid?: string | null;
  /**
   * The Cookie header of a request on the interaction's path, proving this browser owns the
   * interaction. Without it (the JSON API) the interaction is only looked up by uid.
   */
  cookieHeader?: string | null;
  /** 'cookie' (browsers: submissions must carry the flow cookie) or 'bearer' (native: the id alone). */
  binding?: 'cookie' | 'bearer';
  /** Continue this (unready) account instead of creating one. */
  accountId?: string | null;
  ip?: string;
  /** How the person already authenticated (a social sign-in: ['fed']). */
  authMethods?: string[] | null;
};

export type SignUpFacade = {
  start(input: StartSignUpInput): Promise<Flow>;
  /** Null for an unknown or expired flow; with `cookieHeader`, also for one bound to another browser. */
  get(id: string, opts: { locale?: string | null; cookieHeader?: string | null }): Promise<Flow | null>;
  /** The flow for the JSON API: throws AppError 404 (unknown), 403 (another browser's), 410 (expired). */
  load(id: string, opts: { locale?: string | null; cookieHeader: string | null }): Promise<Flow>;
  submit(id: string, values: Record<string, string>, ctx: { ip: string; locale?: string | null; cookieHeader: string | null }): Promise<Flow>;
  submitWithStatus(id: string, values: Record<string, string>, ctx: { ip: string; locale?: string | null; cookieHeader: string | null }): Promise<SubmitResult>;
  readiness(accountId: string): Promise<AccountReadiness | null>;
};

function createFacade(service: SignUpService): SignUpFacade {
  return {
    async start(input) {
      let clientRegions: string[] | null = null;
      let regionHint = input.region ?? null;
      let accountId = input.accountId ?? null;
      const protocol = await import('../protocol/sign-up-interaction');
      if (input.interactionUid) {
        let clientId: string;
        let params: Record<string, unknown>;
        if (input.cookieHeader !== undefined && input.binding !== 'bearer') {
          const { findInteraction } = await import('../protocol/interactions');
          const { READINESS_PROMPT } = await import('../protocol/sign-up-prompts');
          const view = await findInteraction(input.interactionUid, input.cookieHeader ?? null);
          if (!view) throw new AppError('signup.interaction_expired', { status: 410 });
          clientId = view.clientId;
          params = view.params;
          if (!accountId && view.prompt.name === READINESS_PROMPT && view.accountId) accountId = view.accountId;
        } else {
          const found = await protocol.findInteractionByUid(input.interactionUid);
          if (!found) throw new AppError('signup.interaction_expired', { status: 410 });
          clientId = found.clientId;
          params = found.params;
        }
        clientRegions = await protocol.clientRegionsOf(clientId);
        if (!regionHint && typeof params.region === 'string') regionHint = params.region;
      }
      let locale: string;
      if (typeof input.locale === 'string') locale = input.locale;
      else {
        const config = getIdpConfig();
        const offered = clientRegions ?? config.regions.map((r) => r.code);
        const hint = regionHint?.toUpperCase();
        const code = hint && offered.includes(hint) ? hint : offered.length === 1 ? offered[0] : undefined;
        const regionDefault = config.regions.find((r) => r.code === code)?.default_locale ?? null;
        locale = resolveLocale({ ...input.locale, regionDefault });
      }
      return service.start({
        locale,
        regionHint,
        clientRegions,
        interactionUid: input.interactionUid ?? null,
        accountId,
        cookieBound: input.binding !== 'bearer',
        authMethods: input.authMethods ?? null,
        ip: input.ip ?? 'unknown',
      });
    },
    get: (id, opts) => service.get(id, { locale: opts.locale ?? null, ...(opts.cookieHeader !== undefined ? { boundFlowIds: boundFlowIdsFrom(opts.cookieHeader) } : {}) }),
    load: (id, opts) => service.load(id, { locale: opts.locale ?? null, boundFlowIds: boundFlowIdsFrom(opts.cookieHeader) }),
    async submit(id, values, ctx) {
      return (await this.submitWithStatus(id, values, ctx)).flow;
    },
    submitWithStatus: (id, values, ctx) => service.submit(id, values, { ip: ctx.ip, locale: ctx.locale ?? null, boundFlowIds: boundFlowIdsFrom(ctx.cookieHeader) }),
    readiness: (accountId) => service.readiness(accountId),
  };
}

const holder = globalThis as typeof globalThis & { __meridianSignUp?: SignUpFacade };

/** The process-wide sign-up service (kept on globalThis: Next evaluates modules more than once). */
export function getSignUpService(): SignUpFacade {
  holder.__meridianSignUp ??= createFacade(createSignUpService(buildDeps()));
  return holder.__meridianSignUp;
}
