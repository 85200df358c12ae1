import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { cookies } from 'next/headers';
import { Alert } from '@/app/_components/alert';
import { PageShell } from '@/app/_components/page-shell';
import { TextField } from '@/app/_components/text-field';
import { parseUpstreamState, UPSTREAM_COOKIE } from '@/app/_lib/upstream-cookie';
import { prismaAccountRepository } from '@/lib/infra/db/prisma-account-repository';
import { upstreamLoginStore } from '@/lib/infra/db/upstream-login-store';
import { LINK_ERROR_CODES } from './link-errors';

export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('upstreamLink');
  return { title: t('title') };
}

/**
 * GET /upstream/link — the upstream identity's verified email belongs to an existing account:
 * the person enters that account's password to link the two (and sign in), or goes back.
 */
export default async function UpstreamLinkPage({ searchParams }: Props) {
  const [query, jar] = await Promise.all([searchParams, cookies()]);
  const t = await getTranslations('upstreamLink');
  const tSignIn = await getTranslations('signin');
  const state = parseUpstreamState(jar.get(UPSTREAM_COOKIE)?.value);
  const login = state ? await upstreamLoginStore.find(state) : null;
  const account = login?.linkAccountId && login.expiresAt > new Date() ? await prismaAccountRepository.findById(login.linkAccountId) : null;
  if (!login || !account) {
    return (
      <PageShell returnTo="/upstream/link">
        <h1>{t('title')}</h1>
        <Alert>{tSignIn('upstream_expired')}</Alert>
      </PageShell>
    );
  }
  const provider = tSignIn.has(`providers.${login.provider}` as 'providers.line') ? tSignIn(`providers.${login.provider}` as 'providers.line') : login.provider;
  const error = LINK_ERROR_CODES.find((c) => c === query.error);
  const minutes = Math.max(1, Number.parseInt(String(query.minutes ?? '1'), 10) || 1);
  return (
    <PageShell returnTo="/upstream/link">
      <h1>{t('title')}</h1>
      <p>{t('intro', { provider, email: account.email })}</p>
      {error ? <Alert id="link-error">{tSignIn(error.replace('signin.', '') as 'locked', { minutes })}</Alert> : null}
      <form className="stack" method="post" action="/upstream/link/confirm">
        <div className="field">
          <label htmlFor="field-email">{tSignIn('email')}</label>
          <input id="field-email" name="email" type="email" autoComplete="username" value={account.email} readOnly />
        </div>
        <TextField name="password" type="password" label={tSignIn('password')} autoComplete="current-password" autoFocus invalid={Boolean(error)} describedBy={error ? 'link-error' : undefined} />
        <button className="primary" type="submit">
          {t('submit', { provider })}
        </button>
      </form>
      <p className="muted">
        <a href={`/interaction/${encodeURIComponent(login.interactionUid)}`}>{t('cancel')}</a>
      </p>
    </PageShell>
  );
}
