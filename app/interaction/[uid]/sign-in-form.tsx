import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { Alert } from '@/app/_components/alert';
import { TextField } from '@/app/_components/text-field';
import { NOT_FIELD_ERRORS, type SignInErrorCode } from './flash';

type Props = {
  uid: string;
  clientName: string;
  email: string | undefined;
  error: SignInErrorCode | undefined;
  minutes: number;
  /** The region's methods (sign-in-methods.tsx): the region picker, whether password is one, the others. */
  regionPicker?: ReactNode;
  password?: boolean;
  otherMethods?: ReactNode;
};

export async function SignInForm({ uid, clientName, email, error, minutes, regionPicker, password = true, otherMethods }: Props) {
  const t = await getTranslations('signin');
  const tSignUp = await getTranslations('signupPage');
  const errorText = error ? t(error.replace('signin.', '') as 'locked', { minutes }) : undefined;
  // A refused or failed social sign-in is not about the email and password fields.
  const fieldsInvalid = error !== undefined && !NOT_FIELD_ERRORS.includes(error);
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('subtitle', { client: clientName })}</p>
      {errorText ? <Alert id="signin-error">{errorText}</Alert> : null}
      {regionPicker}
      {password ? (
        <form className="stack" method="post" action={`/interaction/${encodeURIComponent(uid)}/login`}>
          <TextField name="email" type="email" label={t('email')} autoComplete="username" defaultValue={email} autoFocus={!email} invalid={fieldsInvalid} describedBy={fieldsInvalid ? 'signin-error' : undefined} />
          <TextField name="password" type="password" label={t('password')} autoComplete="current-password" autoFocus={Boolean(email)} invalid={fieldsInvalid} describedBy={fieldsInvalid ? 'signin-error' : undefined} />
          <button className="primary" type="submit">
            {t('submit')}
          </button>
        </form>
      ) : null}
      {password && otherMethods ? <p className="muted">{t('or')}</p> : null}
      {otherMethods}
      <p className="muted">
        {tSignUp('noAccount')} <a href={`/signup?interaction=${encodeURIComponent(uid)}`}>{tSignUp('createAccount')}</a>
      </p>
    </>
  );
}
