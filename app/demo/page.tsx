import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { cookies } from 'next/headers';
import { Alert } from '@/app/_components/alert';
import { PageShell } from '@/app/_components/page-shell';
import { getServices } from '@/lib/composition/services';
import { DEMO_SESSION_COOKIE, type DemoSession, loggedOutSids, openDemoCookie } from './_lib/demo-rp';
import { requireDemoMode } from '@/app/_lib/demo-mode';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('demo');
  return { title: t('title') };
}

export default async function DemoPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  requireDemoMode();
  const [t, query, cookieStore] = await Promise.all([getTranslations('demo'), searchParams, cookies()]);
  const session = await openDemoCookie<DemoSession>(cookieStore.get(DEMO_SESSION_COOKIE)?.value);
  const sid = session?.claims.sid;
  const active = session && !(typeof sid === 'string' && loggedOutSids().has(sid)) ? session : null;
  const email = typeof active?.claims.email === 'string' ? active.claims.email : '';
  return (
    <PageShell returnTo="/demo" wide>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      {query.error ? <Alert>{t('error', { error: query.error })}</Alert> : null}
      {active ? (
        <>
          <p role="status">{t('signedInAs', { email })}</p>
          <h2>{t('claimsHeading')}</h2>
          <pre className="claims" data-testid="id-token-claims" tabIndex={0}>
            {JSON.stringify(active.claims, null, 2)}
          </pre>
          <form method="post" action="/demo/logout">
            <button className="secondary" type="submit">
              {t('signOut')}
            </button>
          </form>
        </>
      ) : (
        <p>
          <a href="/demo/login">{t('signIn')}</a>
        </p>
      )}
      {getServices().mail.outboxPageEnabled ? (
        <p>
          <a href="/demo/outbox">{t('outboxLink')}</a>
        </p>
      ) : null}
    </PageShell>
  );
}
