import { getTranslations } from 'next-intl/server';
import { Alert } from '@/app/_components/alert';
import { TextField } from '@/app/_components/text-field';
import type { SignInErrorCode } from './flash';

type Props = { uid: string; clientName: string; email: string | undefined; error: SignInErrorCode | undefined; minutes: number };

export async function SignInForm({ uid, clientName, email, error, minutes }: Props) {
  const t = await getTranslations('signin');
  const errorText = error ? t(error.replace('signin.', '') as 'locked', { minutes }) : undefined;
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('subtitle', { client: clientName })}</p>
      {errorText ? <Alert id="signin-error">{errorText}</Alert> : null}
      <form className="stack" method="post" action={`/interaction/${encodeURIComponent(uid)}/login`}>
        <TextField name="email" type="email" label={t('email')} autoComplete="username" defaultValue={email} autoFocus={!email} invalid={Boolean(error)} describedBy={errorText ? 'signin-error' : undefined} />
        <TextField name="password" type="password" label={t('password')} autoComplete="current-password" autoFocus={Boolean(email)} invalid={Boolean(error)} describedBy={errorText ? 'signin-error' : undefined} />
        <button className="primary" type="submit">
          {t('submit')}
        </button>
      </form>
    </>
  );
}
