import { getTranslations } from 'next-intl/server';
import { getEnv } from '@/lib/config/env';
import { PageShell } from './_components/page-shell';

export default async function HomePage() {
  const t = await getTranslations('home');
  return (
    <PageShell returnTo="/" wide>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <ul>
        {getEnv().demoMode ? (
          <li>
            <a href="/demo">{t('demoLink')}</a>
          </li>
        ) : null}
        <li>
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a JSON route handler, not a page */}
          <a href="/oidc/.well-known/openid-configuration">{t('discoveryLink')}</a>
        </li>
      </ul>
    </PageShell>
  );
}
