import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { cookies, headers } from 'next/headers';
import { Alert } from '@/app/_components/alert';
import { PageShell } from '@/app/_components/page-shell';
import { findInteraction } from '@/lib/protocol/interactions';
import { ConsentForm } from './consent-form';
import { SIGNIN_EMAIL_COOKIE, parseSignInError } from './flash';
import { SignInForm } from './sign-in-form';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ uid: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('signin');
  return { title: t('title') };
}

export default async function InteractionPage({ params, searchParams }: Props) {
  const [{ uid }, query, headerStore, cookieStore] = await Promise.all([params, searchParams, headers(), cookies()]);
  const returnTo = `/interaction/${encodeURIComponent(uid)}`;
  const view = await findInteraction(uid, headerStore.get('cookie'));
  const t = await getTranslations('signin');

  if (!view) {
    return (
      <PageShell returnTo={returnTo}>
        <h1>{t('title')}</h1>
        <Alert>{t('expired')}</Alert>
      </PageShell>
    );
  }

  if (view.prompt.name === 'consent') {
    const details = view.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    const scopes = [...(details.missingOIDCScope ?? []), ...Object.values(details.missingResourceScopes ?? {}).flat()];
    return (
      <PageShell returnTo={returnTo}>
        <ConsentForm uid={uid} clientName={view.clientName} scopes={scopes} />
      </PageShell>
    );
  }

  const error = parseSignInError(query.error);
  const minutes = Math.max(1, Number.parseInt(String(query.minutes ?? '1'), 10) || 1);
  const loginHint = typeof view.params.login_hint === 'string' ? view.params.login_hint : undefined;
  const email = cookieStore.get(SIGNIN_EMAIL_COOKIE)?.value ?? loginHint;
  return (
    <PageShell returnTo={returnTo}>
      <SignInForm uid={uid} clientName={view.clientName} email={email} error={error} minutes={minutes} />
    </PageShell>
  );
}
