import { describe, expect, it } from 'vitest';
import { loadLegalDocument, renderLegalMarkdown, titleOf } from './legal-documents';

describe('legal documents', () => {
  it('renders Markdown to HTML', () => {
    const html = renderLegalMarkdown('# Terms\n\n1. **Be kind**\n2. See [privacy](https://meridian.example/privacy) or [section](#s2)');
    expect(html).toContain('<h1>Terms</h1>');
    expect(html).toContain('<strong>Be kind</strong>');
    expect(html).toContain('<a href="https://meridian.example/privacy">privacy</a>');
    expect(html).toContain('<a href="#s2">section</a>');
  });

  it('never passes raw HTML or unsafe links through', () => {
    const html = renderLegalMarkdown('<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![y](https://evil.example/y.png) [z](//evil.example)');
    expect(html).not.toMatch(/<script|<img|javascript:|evil\.example/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('x');
  });

  it('takes the first level-1 heading as the title', () => {
    expect(titleOf('intro\n# Privacy Policy (Germany)\n## more')).toBe('Privacy Policy (Germany)');
  });

  it('falls back to the region default locale', async () => {
    const files: Record<string, string> = { 'JP/terms/1.ja': '# 利用規約' };
    const source = { read: async (r: string, d: string, v: string, l: string) => files[`${r}/${d}/${v}.${l}`] ?? null };
    expect(await loadLegalDocument(source, { region: 'JP', documentId: 'terms', version: '1', locale: 'zh-TW', fallbackLocale: 'ja' })).toMatchObject({
      locale: 'ja',
      title: '利用規約',
      html: '<h1>利用規約</h1>\n',
    });
    expect(await loadLegalDocument(source, { region: 'JP', documentId: 'privacy', version: '1', locale: 'ja', fallbackLocale: 'ja' })).toBeNull();
  });
});
