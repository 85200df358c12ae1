import { describe, expect, it } from 'vitest';
import { renderExistingAccountNotice, renderSignInCodeMail, renderSignUpCodeMail } from './templates';

describe('mail templates', () => {
  it('renders the code mail per locale, in text and HTML, with the link', () => {
    const en = renderSignUpCodeMail({ to: 'a@example.com', locale: 'en', code: '123456', minutes: 10, link: 'https://id.example.com/signup/f/verify?code=123456' });
    expect(en.subject).toBe('123456 is your Meridian ID verification code');
    expect(en.text).toContain('The code expires in 10 minutes.');
    expect(en.text).toContain('https://id.example.com/signup/f/verify?code=123456');
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toContain('href="https://id.example.com/signup/f/verify?code=123456"');
    const ja = renderSignUpCodeMail({ to: 'a@example.com', locale: 'ja', code: '123456', minutes: 10, link: null });
    expect(ja.subject).toBe('Meridian ID の確認コード: 123456');
    expect(ja.text).toContain('有効期間は10分');
    expect(ja.html).not.toContain('href=');
    const zh = renderSignUpCodeMail({ to: 'a@example.com', locale: 'zh-TW', code: '123456', minutes: 1, link: null });
    expect(zh.text).toContain('1 分鐘');
  });

  it('renders the existing-account notice without a code', () => {
    const notice = renderExistingAccountNotice({ to: 'a@example.com', locale: 'zh-TW', signInUrl: 'https://id.example.com/' });
    expect(notice.subject).toBe('有人嘗試以您的電子郵件地址註冊');
    expect(notice.text).not.toMatch(/\d{6}/);
    expect(notice.html).toContain('https://id.example.com/');
  });

  it('renders the sign-in code mail per locale, without a link', () => {
    const ja = renderSignInCodeMail({ to: 'a@example.com', locale: 'ja', code: '654321', minutes: 10 });
    expect(ja.subject).toBe('Meridian ID のサインインコードは 654321 です');
    expect(ja.text).toContain('有効期限は10分');
    expect(ja.html).toContain('data-code="654321"');
    expect(ja.html).not.toContain('href=');
    expect(renderSignInCodeMail({ to: 'a@example.com', locale: 'en', code: '654321', minutes: 1 }).text).toContain('The code expires in 1 minute.');
  });
});
