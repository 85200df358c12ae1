import { describe, expect, it } from 'vitest';
import { demoConfig } from '../sign-up-test-kit';
import { checkRegionContent } from './region-content-check';

describe('region content check (config check)', () => {
  it('finds every document and message of the demo regions', () => {
    expect(checkRegionContent(demoConfig())).toEqual([]);
  });

  it('reports a missing document translation and missing messages, per region and locale', () => {
    const config = demoConfig((y) => y.replace("documents: [{ id: terms, version: '2026-01' }]\n\n  - code: TW", "documents: [{ id: terms, version: '2030-01' }]\n\n  - code: TW"));
    expect(checkRegionContent(config).filter((p) => p.region === 'JP')).toEqual([
      { region: 'JP', locale: 'ja', kind: 'document', missing: 'messages/legal/JP/terms/2030-01.ja.md' },
      { region: 'JP', locale: 'en', kind: 'document', missing: 'messages/legal/JP/terms/2030-01.en.md' },
    ]);
    const withoutName = checkRegionContent(demoConfig(), { hasMessage: (locale, id) => !(locale === 'en' && id === 'region.names.DE') });
    expect(withoutName).toEqual([{ region: 'DE', locale: 'en', kind: 'message', missing: 'region.names.DE' }]);
  });
});
