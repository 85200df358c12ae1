import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { cookies, headers } from 'next/headers';
import { getServices } from '@/lib/composition/services';
import { Alert } from '@/app/_components/alert';
import { PageShell } from '@/app/_components/page-shell';
import { OneTimeCodeField } from '@/app/_components/one-time-code-field';
import { TextField } from '@/app/_components/text-field';
import { SIGNIN_EMAIL_COOKIE, signInRegionCookieName } from '../flash';
import { signInMethodsFor } from '../offered-sign-in-methods';
import { parseEmailCodeError } from './email-code-errors';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ uid: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('emailCode');
  return { title: t('title') };
}

/**
 * GET /interaction/<uid>/email-code — passwordless sign-in: the email form, then (after
 * ?sent=1) the code form. Offered only where the region lists `email_code`.
 */
export default async function EmailCodePage({ params, searchParams }: Props) {
  const [{ uid }, query, headerStore, jar] = await Promise.all([params, searchParams, headers(), cookies()]);
  const t = await getTranslations('emailCode');
  const tSignIn = await getTranslations('signin');
  const base = `/interaction/${encodeURIComponent(uid)}`;
  const returnTo = `${base}/email-code${query.sent === '1' ? '?sent=1' : ''}`;
  const view = await getServices().interactions.find(uid, headerStore.get('cookie'));
  const methods = view ? signInMethodsFor(view, jar.get(signInRegionCookieName())?.value) : null;
  if (!view || !methods?.emailCode) {
    return (
      <PageShell returnTo={returnTo}>
        <h1>{t('title')}</h1>
        <Alert>{view ? tSignIn('method_unavailable') : tSignIn('expired')}</Alert>
        {view ? <a href={base}>{t('back')}</a> : null}
      </PageShell>
    );
  }
  const email = jar.get(SIGNIN_EMAIL_COOKIE)?.value;
  const error = parseEmailCodeError(query.error);
  const values = {
    minutes: Math.max(1, Number.parseInt(String(query.minutes ?? '1'), 10) || 1),
    seconds: Math.max(1, Number.parseInt(String(query.seconds ?? '1'), 10) || 1),
    attempts: Math.max(0, Number.parseInt(String(query.attempts ?? '0'), 10) || 0),
  };
  const errorText = error ? tSignIn(error.replace('signin.', '') as 'code_invalid', values) : undefined;
  const sent = query.sent === '1' && email;
  return (
    <PageShell returnTo={returnTo}>
      <h1>{t('title')}</h1>
      <p className="muted">{tSignIn('subtitle', { client: view.clientName })}</p>
      {errorText ? <Alert id="email-code-error">{errorText}</Alert> : null}
      {sent ? (
        <>
          <p role="status">{t('sent', { email })}</p>
          <form className="stack" method="post" action={`${base}/email-code/verify`}>
            <OneTimeCodeField label={t('code')} errorId={error ? 'email-code-error' : undefined} />
            <button className="primary" type="submit">
              {t('verify')}
            </button>
          </form>
          <form method="post" action={`${base}/email-code/send`}>
            <input type="hidden" name="email" value={email} />
            <button type="submit">{t('resend')}</button>
          </form>
        </>
      ) : (
        <form className="stack" method="post" action={`${base}/email-code/send`}>
          <TextField name="email" type="email" label={tSignIn('email')} autoComplete="username" defaultValue={email} autoFocus invalid={Boolean(error)} describedBy={error ? 'email-code-error' : undefined} />
          <button className="primary" type="submit">
            {t('send')}
          </button>
        </form>
      )}
      <p className="muted">
        <a href={base}>{t('back')}</a>
      </p>
    </PageShell>
  );
}
