import { describe, expect, it } from 'vitest';
import { dotStuffed, parseSmtpUrl } from './smtp-connection';

describe('parseSmtpUrl', () => {
  it('reads host, default ports, credentials and flags of SMTP_URL', () => {
    expect(parseSmtpUrl('smtp://mail.example.com')).toMatchObject({ host: 'mail.example.com', port: 587, secure: false, auth: undefined, requireTls: false });
    expect(parseSmtpUrl('smtps://mail.example.com')).toMatchObject({ port: 465, secure: true, tls: { servername: 'mail.example.com', rejectUnauthorized: true } });
    expect(parseSmtpUrl('smtp://a%40b:p%20w@[::1]:2525?requireTLS=true&tls.rejectUnauthorized=false')).toMatchObject({
      host: '::1',
      port: 2525,
      auth: { user: 'a@b', pass: 'p w' },
      requireTls: true,
      tls: { servername: undefined, rejectUnauthorized: false },
    });
  });

  it('refuses a URL that is not smtp:// or smtps://', () => {
    expect(() => parseSmtpUrl('http://mail.example.com')).toThrow(/smtp:\/\/ or smtps:\/\//);
  });
});

describe('dotStuffed', () => {
  it('doubles a leading dot on every line, ends the last line and appends the end-of-data line', () => {
    expect(dotStuffed(Buffer.from('.a\r\nb\r\n..c')).toString()).toBe('..a\r\nb\r\n...c\r\n.\r\n');
    expect(dotStuffed(Buffer.from('x\r\n')).toString()).toBe('x\r\n.\r\n');
  });
});
