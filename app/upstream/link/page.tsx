import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { cookies } from 'next/headers';
import { Alert } from '@/app/_components/alert';
import { PageShell } from '@/app/_components/page-shell';
import { OneTimeCodeField } from '@/app/_components/one-time-code-field';
import { TextField } from '@/app/_components/text-field';
import { parseUpstreamState, upstreamCookieName } from '@/app/_lib/upstream-cookie';
import { getServices } from '@/lib/composition/services';
import { LINK_ERROR_CODES } from './link-errors';

export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('upstreamLink');
  return { title: t('title') };
}

const intOf = (value: unknown, min: number) => Math.max(min, Number.parseInt(String(value ?? min), 10) || min);

/**
 * GET /upstream/link — the upstream identity's verified email belongs to an existing account:
 * the person proves that account is theirs (its password; for an account without one, a code
 * mailed to its address) to link the two and sign in, or goes back to the sign-in page.
 */
export default async function UpstreamLinkPage({ searchParams }: Props) {
  const [query, jar] = await Promise.all([searchParams, cookies()]);
  const t = await getTranslations('upstreamLink');
  const tSignIn = await getTranslations('signin');
  const tCode = await getTranslations('emailCode');
  const state = parseUpstreamState(jar.get(upstreamCookieName())?.value);
  const pending = state ? await getServices().upstream.pendingLink(state) : null;
  if (!pending) {
    return (
      <PageShell returnTo="/upstream/link">
        <h1>{t('title')}</h1>
        <Alert>{tSignIn('upstream_expired')}</Alert>
      </PageShell>
    );
  }
  const { login, account: found, hasPassword } = pending;
  const provider = tSignIn.has(`providers.${login.provider}` as 'providers.line') ? tSignIn(`providers.${login.provider}` as 'providers.line') : login.provider;
  const error = LINK_ERROR_CODES.find((c) => c === query.error);
  const values = { minutes: intOf(query.minutes, 1), seconds: intOf(query.seconds, 1), attempts: intOf(query.attempts, 0) };
  const errorText = error ? tSignIn(error.replace('signin.', '') as 'code_invalid', values) : undefined;
  const describedBy = error ? 'link-error' : undefined;
  const submit = (
    <button className="primary" type="submit">
      {t('submit', { provider })}
    </button>
  );
  let form;
  if (hasPassword) {
    form = (
      <form className="stack" method="post" action="/upstream/link/confirm">
        <div className="field">
          <label htmlFor="field-email">{tSignIn('email')}</label>
          <input id="field-email" name="email" type="email" autoComplete="username" value={found.email} readOnly />
        </div>
        <TextField name="password" type="password" label={tSignIn('password')} autoComplete="current-password" autoFocus invalid={Boolean(error)} describedBy={describedBy} />
        {submit}
      </form>
    );
  } else if (query.sent === '1') {
    form = (
      <>
        <p role="status">{t('codeSent', { email: found.email })}</p>
        <form className="stack" method="post" action="/upstream/link/confirm">
          <OneTimeCodeField label={tCode('code')} errorId={describedBy} />
          {submit}
        </form>
        <form method="post" action="/upstream/link/send">
          <button type="submit">{tCode('resend')}</button>
        </form>
      </>
    );
  } else {
    form = (
      <form method="post" action="/upstream/link/send">
        <button className="primary" type="submit">
          {t('sendCode')}
        </button>
      </form>
    );
  }
  return (
    <PageShell returnTo={`/upstream/link${query.sent === '1' ? '?sent=1' : ''}`}>
      <h1>{t('title')}</h1>
      <p>{t(hasPassword ? 'intro' : 'introCode', { provider, email: found.email })}</p>
      {errorText ? <Alert id="link-error">{errorText}</Alert> : null}
      {form}
      <p className="muted">
        <a href={`/interaction/${encodeURIComponent(login.interactionUid)}`}>{t('cancel')}</a>
      </p>
    </PageShell>
  );
}
