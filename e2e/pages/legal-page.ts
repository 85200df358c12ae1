import { type Locator, type Page, expect } from '@playwright/test';
import type { AccessibilityChecker } from '../support/accessibility';
import type { Locale } from '../support/messages';
import { legalDocumentTitle } from '../support/regions';
import { textFor } from '../support/text';

/** A region's terms or privacy document (/legal/<REGION>/<document>) as someone reading `locale` sees it. */
export class LegalPage {
  readonly article: Locator;

  constructor(
    readonly page: Page,
    private readonly a11y: AccessibilityChecker,
    readonly locale: Locale,
  ) {
    this.article = page.getByRole('main').getByRole('article');
  }

  /** The document in `documentLocale` (the reader's, or the region's own when not translated). */
  async expectShown(doc: { region: string; id: string; version: string; documentLocale: string }): Promise<void> {
    await expect(this.page).toHaveURL(new RegExp(`/legal/${doc.region}/${doc.id}(\\?[^#]*)?$`));
    await expect(this.page.locator('html')).toHaveAttribute('lang', this.locale);
    await expect(this.article).toHaveAttribute('lang', doc.documentLocale);
    const title = legalDocumentTitle(doc.region, doc.id, doc.version, doc.documentLocale);
    await expect(this.article.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
    await expect(this.page.getByText(textFor(this.locale, 'legal.version', { version: doc.version }), { exact: true })).toBeVisible();
    await this.a11y.check(`legal document ${doc.region}/${doc.id} ${doc.version} (${this.locale})`);
  }
}
