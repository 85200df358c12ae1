import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMimeMessage, encodedWords } from './mime-message';
import { renderSignUpCodeMail } from './templates';

const from = { name: 'Meridian ID', address: 'no-reply@id.example.com' };

describe('buildMimeMessage', () => {
  it('is read back by a mail parser as the same localized subject, text and HTML', async () => {
    const mail = renderSignUpCodeMail({ to: 'mei@example.com', locale: 'zh-TW', code: '482913', minutes: 10, link: 'https://id.example.com/signup/f/verify?code=482913' });
    const raw = buildMimeMessage({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, host: 'id.example.com', date: new Date('2026-11-22T10:39:27Z') });
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.text?.trimEnd()).toBe(mail.text.trimEnd());
    expect(parsed.html).toBe(mail.html);
    expect(parsed.from?.value).toEqual([{ name: 'Meridian ID', address: 'no-reply@id.example.com' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((v) => v.address) : []).toEqual(['mei@example.com']);
    expect(parsed.date?.toISOString()).toBe('2026-11-22T10:39:27.000Z');
    expect(parsed.messageId).toMatch(/^<[0-9a-f-]{36}@id\.example\.com>$/);
  });

  it('keeps every line ASCII, CRLF-terminated and within the SMTP limits', () => {
    const raw = buildMimeMessage({
      from: { name: 'Meridian ID 身分', address: 'no-reply@id.example.com' },
      to: 'a@example.com',
      subject: `確認コード 123456 ${'とても長い件名'.repeat(12)}`,
      text: 'テキスト\n'.repeat(200),
      html: `<p>${'本文'.repeat(500)}</p>`,
      host: 'id.example.com',
    }).toString('latin1');
    expect(raw).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('folds a long ASCII subject at spaces and leaves a short one readable', async () => {
    const long = `123456 is your code ${'word '.repeat(30)}end`;
    const raw = buildMimeMessage({ from, to: 'a@example.com', subject: long, text: 't', html: '<p>h</p>', host: 'id.example.com' });
    expect((await simpleParser(raw)).subject).toBe(long);
    const short = buildMimeMessage({ from, to: 'a@example.com', subject: '123456 is your code', text: 't', html: '<p>h</p>', host: 'id.example.com' }).toString();
    expect(short).toContain('\r\nSubject: 123456 is your code\r\n');
  });

  it('never lets a header value add a header', async () => {
    const raw = buildMimeMessage({ from, to: 'a@example.com', subject: 'hi\r\nBcc: victim@example.com', text: 't', html: '<p>h</p>', host: 'id.example.com' });
    const parsed = await simpleParser(raw);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.subject).toBe('hi Bcc: victim@example.com');
    expect(() => buildMimeMessage({ from, to: 'a@example.com>\r\nBcc: <v@example.com', subject: 's', text: 't', html: 'h', host: 'h' })).toThrow();
  });
});

describe('encodedWords', () => {
  it('splits between code points, each word at most 75 characters', () => {
    const text = '😀'.repeat(40) + 'é'.repeat(40);
    const words = encodedWords(text).split('\r\n ');
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) expect(w.length).toBeLessThanOrEqual(75);
    const decoded = words.map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8')).join('');
    expect(decoded).toBe(text);
  });
});
