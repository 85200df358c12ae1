import AxeBuilder from '@axe-core/playwright';
import { type Page, type TestInfo, expect } from '@playwright/test';

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
type AxeViolation = AxeResults['violations'][number];

/** Impacts that fail a journey; minor and moderate findings are attached as a report only. */
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

function describeViolation(v: AxeViolation): string {
  const nodes = v.nodes
    .slice(0, 5)
    .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`)
    .join('\n');
  return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
}

/**
 * Runs axe-core on the page as it is now and fails on serious or critical violations.
 * Journeys call it (through the page objects) on every page they reach, including error states.
 */
export class AccessibilityChecker {
  private checks = 0;
  private readonly checked = new Set<string>();

  constructor(
    private readonly page: Page,
    private readonly testInfo: TestInfo,
  ) {}

  /** `pageName` names the page and its state; a name already checked in this test is skipped. */
  async check(pageName: string): Promise<void> {
    if (this.checked.has(pageName)) return;
    this.checked.add(pageName);
    this.checks += 1;
    const results = await new AxeBuilder({ page: this.page }).analyze();
    const blocking = results.violations.filter((v) => v.impact && BLOCKING_IMPACTS.has(v.impact));
    const other = results.violations.filter((v) => !blocking.includes(v));
    if (results.violations.length > 0) {
      await this.testInfo.attach(`axe ${this.checks} ${pageName}`, {
        body: JSON.stringify({ url: results.url, violations: results.violations }, null, 2),
        contentType: 'application/json',
      });
    }
    if (other.length > 0) {
      this.testInfo.annotations.push({ type: 'axe (minor/moderate)', description: `${pageName}: ${other.map((v) => v.id).join(', ')}` });
    }
    expect(blocking, `axe on ${pageName} (${this.page.url()}):\n${blocking.map(describeViolation).join('\n')}`).toEqual([]);
  }
}
