import { errors, type FindAccount, type KoaContextWithOIDC } from 'oidc-provider';
import { decideRegionAccess, parseRegionHint, type RegionAccess } from '../domain/regions/region-access';
import { getTranslator } from '../i18n/translator';
import type { LoadedAccount } from './find-account';
import { pageLocale } from './pages/page-locale';

/**
 * Region control at the authorization server (the rule itself: lib/domain/regions). Where it
 * applies:
 * 1. authorization (also with an SSO session): the `region` prompt of interaction-policy.ts
 *    stops the provider; our interaction page ends the interaction with `region_mismatch`
 *    (finishRegionMismatch) and the provider redirects to the client's validated redirect_uri;
 *    with prompt=none the provider answers the same error directly;
 * 2. that error response gets a localized `error_description`, `account_region` and, when the
 *    app's `region` hint differs from the account's region, `requested_region`
 *    (regionMismatchResponse, a provider middleware);
 * 3. token endpoint (authorization_code, refresh_token and any grant that loads the account
 *    through findAccount): `invalid_grant` (withClientRegionCheck).
 */

export type RegionMismatch = Extract<RegionAccess, { allowed: false }>;
type ClientLike = { clientId: string; clientName?: string; [key: string]: unknown };

export const REGION_MISMATCH = 'region_mismatch';
/** Plain text the interaction result carries; the response middleware localizes it. */
const DEFAULT_DESCRIPTION = 'the account region is not supported by this client';

export function supportedRegionsOf(client: unknown): string[] {
  const regions = (client as ClientLike | undefined)?.['supported_regions'];
  return Array.isArray(regions) ? regions.filter((r): r is string => typeof r === 'string') : [];
}

/** Parses the `region` hint leniently (the extraParams validator already refused bad ones). */
function requestedRegionOf(ctx: KoaContextWithOIDC): string | undefined {
  try {
    return parseRegionHint((ctx.oidc.params as Record<string, unknown> | undefined)?.region);
  } catch {
    return undefined;
  }
}

/** The decision for the signed-in account and the requesting client; undefined before sign-in. */
export function regionAccessOf(ctx: KoaContextWithOIDC): RegionAccess | undefined {
  const account = ctx.oidc.account as LoadedAccount | undefined;
  const client = ctx.oidc.client;
  if (!account?.profile || !client) return undefined;
  return decideRegionAccess({
    accountRegion: account.profile.countryRegionCode,
    supportedRegions: supportedRegionsOf(client),
    requestedRegion: requestedRegionOf(ctx),
  });
}

// The decision of the prompt=none path, where no Interaction records it (see interaction-policy.ts).
const decided = new WeakMap<object, RegionMismatch>();

export function rememberRegionMismatch(ctx: KoaContextWithOIDC, mismatch: RegionMismatch): void {
  decided.set(ctx, mismatch);
}

/** `extraParams.region`: absent or an ISO 3166-1 alpha-2 code. */
export async function validateRegionParam(_ctx: KoaContextWithOIDC, value: string | undefined): Promise<void> {
  try {
    parseRegionHint(value);
  } catch {
    throw new errors.InvalidRequest('region must be an ISO 3166-1 alpha-2 code such as JP');
  }
}

/** findAccount that refuses, at the token endpoint, an account whose region the client does not support. */
export function withClientRegionCheck(findAccount: (ctx: KoaContextWithOIDC, sub: string, token?: unknown) => Promise<LoadedAccount | undefined>): FindAccount {
  return async (ctx, sub, token) => {
    const account = await findAccount(ctx, sub, token);
    if (account && ctx.oidc?.route === 'token' && ctx.oidc.client) {
      const access = decideRegionAccess({ accountRegion: account.profile.countryRegionCode, supportedRegions: supportedRegionsOf(ctx.oidc.client) });
      if (!access.allowed) {
        const error = new errors.InvalidGrant(`account region ${access.accountRegion} is not supported by client ${ctx.oidc.client.clientId}`);
        Object.assign(error, { error_description: 'the account region is not supported by this client' });
        throw error;
      }
    }
    return account;
  };
}

/** Prompt details of the region prompt, as the interaction page and the middleware read them. */
export type RegionPromptDetails = { account_region: string; requested_region?: string; supported_regions: string[] };

export function regionPromptDetails(mismatch: RegionMismatch): RegionPromptDetails {
  return {
    account_region: mismatch.accountRegion,
    ...(mismatch.requestedRegion ? { requested_region: mismatch.requestedRegion } : {}),
    supported_regions: [...mismatch.supportedRegions],
  };
}

/** The interaction result that makes the provider answer region_mismatch on resume. */
export function regionMismatchResult() {
  return { error: REGION_MISMATCH, error_description: DEFAULT_DESCRIPTION };
}

/** "Hong Kong", not ICU's long "Hong Kong SAR China"; "United States", not the short "US". */
function regionName(locale: string, code: string): string {
  try {
    const short = new Intl.DisplayNames([locale], { type: 'region', style: 'short' }).of(code);
    return short && short !== code ? short : (new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code);
  } catch {
    return code;
  }
}

function mismatchOf(ctx: KoaContextWithOIDC): RegionPromptDetails | undefined {
  const fromCheck = decided.get(ctx);
  if (fromCheck) return regionPromptDetails(fromCheck);
  const interaction = ctx.oidc.entities.Interaction;
  if (interaction?.prompt?.name !== 'region') return undefined;
  const details = interaction.prompt.details as Partial<RegionPromptDetails>;
  return typeof details.account_region === 'string' ? (details as RegionPromptDetails) : undefined;
}

function localizedDescription(ctx: KoaContextWithOIDC, mismatch: RegionPromptDetails): string {
  const locale = pageLocale(ctx);
  const t = getTranslator(locale);
  const client = (ctx.oidc.client as unknown as ClientLike | undefined)?.clientName ?? ctx.oidc.client?.clientId ?? '';
  const accountRegion = regionName(locale, mismatch.account_region);
  return mismatch.requested_region
    ? t('regionAccess.switch', { accountRegion, requestedRegion: regionName(locale, mismatch.requested_region), client })
    : t('regionAccess.mismatch', { accountRegion, client });
}

/** Sets params of a query or fragment response carrying error=region_mismatch; undefined if it does not. */
function rewriteRedirect(location: string, params: Record<string, string>): string | undefined {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return undefined;
  }
  if (url.searchParams.get('error') === REGION_MISMATCH) {
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.href;
  }
  const fragment = new URLSearchParams(url.hash.slice(1));
  if (fragment.get('error') === REGION_MISMATCH) {
    for (const [k, v] of Object.entries(params)) fragment.set(k, v);
    url.hash = fragment.toString();
    return url.href;
  }
  return undefined;
}

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The same for response_mode=form_post (the provider's auto-submitting form). */
function rewriteFormPost(html: string, params: Record<string, string>): string | undefined {
  if (!html.includes(`name="error" value="${REGION_MISMATCH}"`)) return undefined;
  let out = html;
  for (const [k, v] of Object.entries(params)) {
    const input = `<input type="hidden" name="${k}" value="${escapeAttr(v)}"/>`;
    const existing = new RegExp(`<input type="hidden" name="${k}" value="[^"]*"/>`);
    out = existing.test(out) ? out.replace(existing, input) : out.replace('<noscript>', `${input}\n    <noscript>`);
  }
  return out;
}

/**
 * Provider middleware: completes a region_mismatch authorization error response (query,
 * fragment or form_post) with the localized description and the regions.
 */
export async function regionMismatchResponse(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  await next();
  const oidc = (ctx as { oidc?: KoaContextWithOIDC['oidc'] }).oidc;
  if (!oidc || (oidc.route !== 'authorization' && oidc.route !== 'resume')) return;
  const mismatch = mismatchOf(ctx);
  if (!mismatch) return;
  const params: Record<string, string> = { error_description: localizedDescription(ctx, mismatch), account_region: mismatch.account_region };
  if (mismatch.requested_region) params.requested_region = mismatch.requested_region;
  const location = ctx.response.get('location');
  if (location) {
    const rewritten = rewriteRedirect(location, params);
    if (rewritten) ctx.set('location', rewritten);
    return;
  }
  if (typeof ctx.body === 'string') {
    const rewritten = rewriteFormPost(ctx.body, params);
    if (rewritten) ctx.body = rewritten;
  }
}
