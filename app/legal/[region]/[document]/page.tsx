import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { PageShell } from '@/app/_components/page-shell';
import { getServices } from '@/lib/composition/services';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ region: string; document: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

async function load({ params, searchParams }: Props) {
  const [{ region, document }, query, locale] = await Promise.all([params, searchParams, getLocale()]);
  const version = typeof query.version === 'string' ? query.version : null;
  const doc = await getServices().legalDocuments.find({ region, documentId: document, locale, version });
  return { region, document, version, locale, doc };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { doc } = await load(props);
  if (doc?.title) return { title: doc.title };
  const t = await getTranslations('signupPage');
  return { title: t('legalNotFoundTitle') };
}

/**
 * GET /legal/<REGION>/<document>[?version=…] — a region's terms or privacy document (the
 * current version unless one is named), in the reader's language or the region's own. The
 * terms checkboxes of sign-up link here. The HTML comes from the domain's Markdown renderer,
 * which lets no raw HTML, script or foreign image through (lib/domain/terms/legal-documents.ts).
 */
export default async function LegalDocumentPage(props: Props) {
  const [{ region, document, version, locale, doc }, t] = await Promise.all([load(props), getTranslations()]);
  const returnTo = `/legal/${encodeURIComponent(region)}/${encodeURIComponent(document)}${version ? `?version=${encodeURIComponent(version)}` : ''}`;

  if (!doc) {
    return (
      <PageShell returnTo={returnTo}>
        <h1>{t('signupPage.legalNotFoundTitle')}</h1>
        <p>{t('legal.not_found')}</p>
      </PageShell>
    );
  }

  return (
    <PageShell returnTo={returnTo} wide>
      {doc.locale === locale ? null : <p className="muted">{t('signupPage.legalOtherLanguage')}</p>}
      <article className="legal-document" lang={doc.locale} dangerouslySetInnerHTML={{ __html: doc.html }} />
      <p className="muted">{t('legal.version', { version: doc.version })}</p>
    </PageShell>
  );
}
