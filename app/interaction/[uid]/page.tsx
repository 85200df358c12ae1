import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getServices } from '@/lib/composition/services';
import { Alert } from '@/app/_components/alert';
import { PageShell } from '@/app/_components/page-shell';
import { REGION_PROMPT } from '@/lib/protocol/interaction-policy';
import { regionMismatchResult } from '@/lib/protocol/region-control';
import { CREATE_PROMPT, READINESS_PROMPT } from '@/lib/protocol/prompt-names';
import { ConsentForm } from './consent-form';
import { ContinueForm } from './continue-form';
import { SIGNIN_EMAIL_COOKIE, signInRegionCookieName, parseSignInError } from './flash';
import { SignInForm } from './sign-in-form';
import { signInMethodsFor } from './offered-sign-in-methods';
import { EmailCodeLink, RegionPicker, SocialSignInButtons } from './sign-in-methods';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ uid: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('signin');
  return { title: t('title') };
}

export default async function InteractionPage({ params, searchParams }: Props) {
  const [{ uid }, query, headerStore, cookieStore] = await Promise.all([params, searchParams, headers(), cookies()]);
  const returnTo = `/interaction/${encodeURIComponent(uid)}`;
  const view = await getServices().interactions.find(uid, headerStore.get('cookie'));
  const t = await getTranslations('signin');

  if (!view) {
    return (
      <PageShell returnTo={returnTo}>
        <h1>{t('title')}</h1>
        <Alert>{t('expired')}</Alert>
      </PageShell>
    );
  }

  // Sign-up (lib/protocol/sign-up-prompts.ts): prompt=create goes to sign-up unless the person
  // chose to sign in instead (?mode=signin); an unready account continues into its missing steps.
  if (view.prompt.name === CREATE_PROMPT && query.mode !== 'signin') redirect(`/signup?interaction=${encodeURIComponent(uid)}`);
  if (view.prompt.name === READINESS_PROMPT) redirect(`/interaction/${encodeURIComponent(uid)}/signup`);

  // The account's region is not one the client serves, or not the one the app asked for: no
  // code; the provider answers the client with error=region_mismatch at its redirect_uri
  // (lib/protocol/region-control.ts).
  if (view.prompt.name === REGION_PROMPT) {
    const resume = await getServices().interactions.finish(uid, headerStore.get('cookie'), regionMismatchResult());
    if (resume) redirect(resume);
    return (
      <PageShell returnTo={returnTo}>
        <h1>{t('title')}</h1>
        <Alert>{t('expired')}</Alert>
      </PageShell>
    );
  }

  if (view.prompt.name === 'consent') {
    const details = view.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    const scopes = [...(details.missingOIDCScope ?? []), ...Object.values(details.missingResourceScopes ?? {}).flat()];
    const account = view.accountId ? await getServices().accounts.findById(view.accountId) : null;
    if (scopes.length === 0 && account) {
      return (
        <PageShell returnTo={returnTo}>
          <ContinueForm uid={uid} clientName={view.clientName} email={account.email} />
        </PageShell>
      );
    }
    return (
      <PageShell returnTo={returnTo}>
        <ConsentForm uid={uid} clientName={view.clientName} scopes={scopes} />
      </PageShell>
    );
  }

  const error = parseSignInError(query.error);
  const minutes = Math.max(1, Number.parseInt(String(query.minutes ?? '1'), 10) || 1);
  const loginHint = typeof view.params.login_hint === 'string' ? view.params.login_hint : undefined;
  const email = cookieStore.get(SIGNIN_EMAIL_COOKIE)?.value ?? loginHint;
  // The region's sign-in methods: chosen region (cookie), else the region hint, else the client's (sign-in-region.ts).
  const methods = signInMethodsFor(view, cookieStore.get(signInRegionCookieName())?.value);
  return (
    <PageShell returnTo={returnTo}>
      <SignInForm
        uid={uid}
        clientName={view.clientName}
        email={email}
        error={error}
        minutes={minutes}
        regionPicker={methods.region ? <RegionPicker uid={uid} region={methods.region} choices={methods.choices} /> : null}
        password={methods.password}
        otherMethods={
          methods.social.length > 0 || methods.emailCode ? (
            <div className="stack signin-methods">
              {methods.emailCode ? <EmailCodeLink uid={uid} /> : null}
              <SocialSignInButtons uid={uid} providers={methods.social} />
            </div>
          ) : null
        }
      />
    </PageShell>
  );
}
