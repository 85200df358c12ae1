import { getTranslations } from 'next-intl/server';
import { ConsentActions } from './consent-actions';

type Props = { uid: string; clientName: string; scopes: string[] };

const KNOWN_SCOPES = ['openid', 'email', 'profile', 'offline_access'] as const;

export async function ConsentForm({ uid, clientName, scopes }: Props) {
  const t = await getTranslations('consent');
  const known = scopes.filter((s): s is (typeof KNOWN_SCOPES)[number] => (KNOWN_SCOPES as readonly string[]).includes(s));
  const other = scopes.filter((s) => !(KNOWN_SCOPES as readonly string[]).includes(s));
  return (
    <>
      <h1>{t('title')}</h1>
      <p>{t('intro', { client: clientName })}</p>
      <h2 className="muted">{t('scopesHeading')}</h2>
      <ul className="scopes">
        {known.map((s) => (
          <li key={s}>{t(`scope.${s}`)}</li>
        ))}
        {other.map((s) => (
          <li key={s}>
            <code>{s}</code>
          </li>
        ))}
      </ul>
      <ConsentActions uid={uid} allowLabel={t('allow')} denyLabel={t('deny')} />
    </>
  );
}
