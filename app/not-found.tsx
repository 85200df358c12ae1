import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { PageShell } from './_components/page-shell';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('notFound');
  return { title: t('title'), robots: { index: false } };
}

/** Our 404, localized; Next's built-in one styles itself inline, which the CSP refuses. */
export default async function NotFound() {
  const t = await getTranslations('notFound');
  return (
    <PageShell returnTo="/">
      <h1>{t('title')}</h1>
      <p>{t('description')}</p>
      <p>
        <Link href="/">{t('home')}</Link>
      </p>
    </PageShell>
  );
}
