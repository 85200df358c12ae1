import { describe, expect, it } from 'vitest';
import { interpolate, parseRichText, safeHref } from './rich-text';

describe('parseRichText', () => {
  it('splits text around <link> tags', () => {
    expect(parseRichText('I accept the <link>Terms of Service</link> (version {version}).')).toEqual([
      { kind: 'text', text: 'I accept the ' },
      { kind: 'tag', tag: 'link', text: 'Terms of Service' },
      { kind: 'text', text: ' (version {version}).' },
    ]);
  });

  it('handles several tags, a tag at either end, and plain text', () => {
    expect(parseRichText('<link>a</link> and <strong>b</strong>')).toEqual([
      { kind: 'tag', tag: 'link', text: 'a' },
      { kind: 'text', text: ' and ' },
      { kind: 'tag', tag: 'strong', text: 'b' },
    ]);
    expect(parseRichText('no tags here')).toEqual([{ kind: 'text', text: 'no tags here' }]);
    expect(parseRichText('')).toEqual([]);
  });

  it('leaves unbalanced markup as text', () => {
    expect(parseRichText('a <link>b')).toEqual([{ kind: 'text', text: 'a <link>b' }]);
    expect(parseRichText('a <link>b</other>')).toEqual([{ kind: 'text', text: 'a <link>b</other>' }]);
  });

  it('keeps CJK text intact', () => {
    expect(parseRichText('我同意<link>服務條款</link>')).toEqual([
      { kind: 'text', text: '我同意' },
      { kind: 'tag', tag: 'link', text: '服務條款' },
    ]);
  });
});

describe('interpolate', () => {
  it('fills placeholders and formats numbers per locale', () => {
    expect(interpolate('{count} tries left for {email}', { count: 1234, email: 'a@example.com' }, 'en')).toBe('1,234 tries left for a@example.com');
    expect(interpolate('{count}', { count: 1234.5 }, 'de')).toBe('1.234,5');
  });

  it('keeps unknown placeholders and works without context', () => {
    expect(interpolate('{a} {b}', { a: 'x' }, 'en')).toBe('x {b}');
    expect(interpolate('{a}', undefined, 'en')).toBe('{a}');
  });
});

describe('safeHref', () => {
  it('accepts site paths and http(s) URLs', () => {
    expect(safeHref('/legal/TW/terms')).toBe('/legal/TW/terms');
    expect(safeHref('https://example.com/x')).toBe('https://example.com/x');
  });

  it('refuses script, data, protocol-relative and odd values', () => {
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,hi')).toBeUndefined();
    expect(safeHref('//evil.example')).toBeUndefined();
    expect(safeHref('/\\evil.example')).toBeUndefined();
    expect(safeHref('')).toBeUndefined();
    expect(safeHref(42)).toBeUndefined();
  });
});
