import { getLocale, getTranslations } from 'next-intl/server';
import { SUPPORTED_LOCALES } from '@/lib/i18n/locales';

/** A plain form (works without JavaScript) that keeps the person on the same page and flow. */
export async function LocaleSwitcher({ returnTo }: { returnTo: string }) {
  const [t, current] = await Promise.all([getTranslations('locale'), getLocale()]);
  return (
    <nav aria-label={t('switcherLabel')}>
      <form className="locale-switcher" method="post" action="/locale">
        <input type="hidden" name="return_to" value={returnTo} />
        {SUPPORTED_LOCALES.map((locale) => (
          <button key={locale} className="link" type="submit" name="locale" value={locale} lang={locale} aria-current={locale === current ? 'true' : undefined}>
            {t(locale)}
          </button>
        ))}
      </form>
    </nav>
  );
}
