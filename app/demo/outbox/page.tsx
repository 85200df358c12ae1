import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { PageShell } from '@/app/_components/page-shell';
import { getServices } from '@/lib/composition/services';

export const dynamic = 'force-dynamic';

/** The newest mails shown. */
const SHOWN = 50;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('demoOutbox');
  return { title: t('title'), robots: { index: false } };
}

/**
 * The mail Meridian ID would have sent, for a demo or development server without SMTP_URL (sign-up
 * and sign-in codes, notices): a person trying the demo reads their code here. A 404 wherever
 * mail is delivered, and in production unless the build runs as `npm run demo`.
 */
export default async function DemoOutboxPage() {
  if (!getServices().mail.outboxPageEnabled) notFound();
  const [t, format, mails] = await Promise.all([getTranslations('demoOutbox'), getFormatter(), getServices().mail.outbox.list(SHOWN, ['local'])]);
  return (
    <PageShell returnTo="/demo/outbox" wide>
      <h1>{t('title')}</h1>
      <p className="notice" role="note">
        {t('banner')}
      </p>
      <p>
        <a href="/demo">{t('back')}</a>
      </p>
      <section aria-labelledby="outbox-mail">
        <h2 id="outbox-mail">{t('mailHeading')}</h2>
        <p className="muted">{t('newestFirst', { count: SHOWN })}</p>
        {mails.length === 0 ? <p>{t('empty')}</p> : null}
        {mails.map((m) => (
          <article key={m.id} aria-label={t('mailLabel', { subject: m.subject, to: m.to })}>
            <h3>{m.subject}</h3>
            <p className="muted">
              {t('to', { address: m.to })} · <time dateTime={m.createdAt.toISOString()}>{format.dateTime(m.createdAt, { dateStyle: 'medium', timeStyle: 'medium' })}</time>
            </p>
            <pre className="claims" tabIndex={0}>
              {m.text}
            </pre>
          </article>
        ))}
      </section>
    </PageShell>
  );
}
