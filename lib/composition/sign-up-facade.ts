import type { IdpConfig } from '../config/idp-config-schema';
import { AppError } from '../domain/errors';
import type { Flow } from '../domain/flows/flow';
import type { AccountReadiness, FormSubmitResult, SignUpService, SubmitResult } from '../domain/flows/sign-up-service';
import { boundFlowIdsFrom } from '../http/sign-up-flow-cookie';
import { resolveLocale, type LocaleSources } from '../i18n/locales';
import type { Interactions } from '../protocol/interactions';
import type { SignUpInteractions } from '../protocol/sign-up-interaction';
import { READINESS_PROMPT } from '../protocol/prompt-names';

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
  /** A browser's form post: where the flow stands, not rendered (the page it is redirected to renders it). */
  submitForm(id: string, values: Record<string, string>, ctx: { ip: string; cookieHeader: string | null }): Promise<FormSubmitResult>;
  readiness(accountId: string): Promise<AccountReadiness | null>;
};

/** The protocol side the facade needs: the interaction a flow belongs to and its client's regions. */
export type SignUpFacadePorts = {
  service: SignUpService;
  config: IdpConfig;
  interactions: Pick<Interactions, 'find'> & Pick<SignUpInteractions, 'findByUid' | 'clientRegionsOf'>;
};

/**
 * The sign-up service as routes and pages use it: requests' cookie headers become the flow ids
 * bound to the browser, an interaction uid becomes its client's regions and the region hint, and
 * the locale is resolved from the request when not given.
 */
export function createSignUpFacade({ service, config, interactions }: SignUpFacadePorts): SignUpFacade {
  return {
    async start(input) {
      let clientRegions: string[] | null = null;
      let regionHint = input.region ?? null;
      let accountId = input.accountId ?? null;
      if (input.interactionUid) {
        let clientId: string;
        let params: Record<string, unknown>;
        if (input.cookieHeader !== undefined && input.binding !== 'bearer') {
          const view = await interactions.find(input.interactionUid, input.cookieHeader ?? null);
          if (!view) throw new AppError('signup.interaction_expired', { status: 410 });
          clientId = view.clientId;
          params = view.params;
          if (!accountId && view.prompt.name === READINESS_PROMPT && view.accountId) accountId = view.accountId;
        } else {
          const found = await interactions.findByUid(input.interactionUid);
          if (!found) throw new AppError('signup.interaction_expired', { status: 410 });
          clientId = found.clientId;
          params = found.params;
        }
        clientRegions = await interactions.clientRegionsOf(clientId);
        if (!regionHint && typeof params.region === 'string') regionHint = params.region;
      }
      let locale: string;
      if (typeof input.locale === 'string') locale = input.locale;
      else {
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
    submitForm: (id, values, ctx) => service.submitForm(id, values, { ip: ctx.ip, locale: null, boundFlowIds: boundFlowIdsFrom(ctx.cookieHeader) }),
    readiness: (accountId) => service.readiness(accountId),
  };
}
