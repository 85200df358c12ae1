import { getTranslations } from 'next-intl/server';

type RegionPickerProps = { uid: string; region: string; choices: string[] };

/** The region whose sign-in methods the page shows, and a plain form to choose another. */
export async function RegionPicker({ uid, region, choices }: RegionPickerProps) {
  const t = await getTranslations('signin');
  const tRegion = await getTranslations('region');
  const name = (code: string) => (tRegion.has(`names.${code}` as 'names.JP') ? tRegion(`names.${code}` as 'names.JP') : code);
  if (choices.length < 2) return <p className="muted">{t('regionCurrent', { region: name(region) })}</p>;
  return (
    <form className="stack" method="post" action={`/interaction/${encodeURIComponent(uid)}/region`} aria-label={t('regionCurrent', { region: name(region) })}>
      <div className="field">
        <label htmlFor="field-signin-region">{tRegion('label')}</label>
        <select id="field-signin-region" name="region" defaultValue={region}>
          {choices.map((code) => (
            <option key={code} value={code}>
              {name(code)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">{t('regionChange')}</button>
    </form>
  );
}

type SocialButtonsProps = { uid: string; providers: string[] };

/** One "Continue with …" button per social provider of the region, each a plain form post. */
export async function SocialSignInButtons({ uid, providers }: SocialButtonsProps) {
  const t = await getTranslations('signin');
  if (providers.length === 0) return null;
  const name = (id: string) => (t.has(`providers.${id}` as 'providers.line') ? t(`providers.${id}` as 'providers.line') : id);
  return (
    <div className="stack">
      {providers.map((id) => (
        <form key={id} method="post" action={`/interaction/${encodeURIComponent(uid)}/upstream/${encodeURIComponent(id)}`}>
          <button type="submit">{t('continueWith', { provider: name(id) })}</button>
        </form>
      ))}
    </div>
  );
}

/** The passwordless method: a link to the email-code page (its own form, so the labels stay unique). */
export async function EmailCodeLink({ uid }: { uid: string }) {
  const t = await getTranslations('emailCode');
  return (
    <a className="button" href={`/interaction/${encodeURIComponent(uid)}/email-code`}>
      {t('start')}
    </a>
  );
}
