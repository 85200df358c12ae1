import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { LocaleSwitcher } from './locale-switcher';

export async function PageShell({ returnTo, wide, children }: { returnTo: string; wide?: boolean; children: ReactNode }) {
  const t = await getTranslations('meta');
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="brand">
        <span>{t('product')}</span>
        <LocaleSwitcher returnTo={returnTo} />
      </header>
      <main id="main" className={wide ? 'card wide' : 'card'}>
        {children}
      </main>
    </>
  );
}
