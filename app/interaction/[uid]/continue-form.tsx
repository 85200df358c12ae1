import { getTranslations } from 'next-intl/server';
import { ConsentActions } from './consent-actions';

type Props = { uid: string; clientName: string; email: string };

/** Single sign-on into a native app: one confirmation instead of a silent code (RFC 8252 §8.6). */
export async function ContinueForm({ uid, clientName, email }: Props) {
  const t = await getTranslations('consent');
  return (
    <>
      <h1>{t('continueTitle', { client: clientName })}</h1>
      <p>{t('continueIntro', { client: clientName, email })}</p>
      <ConsentActions uid={uid} allowLabel={t('continue')} denyLabel={t('deny')} />
    </>
  );
}
