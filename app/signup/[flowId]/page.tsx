import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { headers } from 'next/headers';
import { FlowForm } from '@/app/_components/flow/flow-form';
import { PageShell } from '@/app/_components/page-shell';
import { getServices } from '@/lib/composition/services';
import { CSP_NONCE_HEADER } from '@/security-headers.mjs';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ flowId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('signupPage');
  return { title: t('title') };
}

const TITLE_BY_STATE = { active: 'signupPage.title', complete: 'signupPage.doneTitle', refused: 'signupPage.refusedTitle' } as const;

/**
 * GET /signup/<flowId> — one step of a sign-up flow, rendered from the server's instructions
 * with the generic renderer as a plain form (works without JavaScript). The form posts to the
 * flow's `ui.action`, which answers 303 back here with the next step, or on to `continue_to`
 * once the account is ready. A finished flow (complete, or refused e.g. below the minimum age)
 * shows what the server says about it and where to go next. A flow that is unknown, expired or
 * bound to another browser gets the same message: start again.
 */
export default async function SignUpFlowPage({ params }: Props) {
  const [{ flowId }, locale, t, headerStore] = await Promise.all([params, getLocale(), getTranslations(), headers()]);
  const returnTo = `/signup/${encodeURIComponent(flowId)}`;
  const flow = await getServices().signUp.get(flowId, { locale, cookieHeader: headerStore.get('cookie') });

  if (!flow) {
    return (
      <PageShell returnTo={returnTo}>
        <h1>{t('signupPage.expiredTitle')}</h1>
        <p className="alert" role="alert">
          {t('signupPage.expired')}
        </p>
        <p>
          {/* /signup is a route handler (it creates a flow and redirects): a full navigation, not <Link>. */}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
          <a href="/signup">{t('signupPage.startAgain')}</a>
        </p>
      </PageShell>
    );
  }

  return (
    <PageShell returnTo={returnTo}>
      <h1>{t(TITLE_BY_STATE[flow.state])}</h1>
      <FlowForm flow={flow} i18n={{ locale, t }} nonce={headerStore.get(CSP_NONCE_HEADER) ?? undefined} />
    </PageShell>
  );
}
