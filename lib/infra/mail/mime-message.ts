import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Our mails as RFC 5322 / MIME bytes: multipart/alternative (plain text, then HTML), both parts
 * UTF-8 in base64, headers in ASCII (RFC 2047 encoded words for any other text). Built in one
 * pass: composing with nodemailer's MailComposer (a pipeline of streams per message) cost ~1 ms
 * of CPU per mail, more than everything else a sign-up step does; the SMTP transport gets these
 * bytes as `raw`. Only what our templates produce is supported: no attachments, no inline images.
 */

export type Mailbox = { name: string; address: string };

export type MimeInput = {
  from: Mailbox;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The host part of the Message-ID (our public host). */
  host: string;
  date?: Date;
};

const LINE = 76;
const MAX_ENCODED_WORD = 75;
const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;

function base64Lines(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += LINE) lines.push(encoded.slice(i, i + LINE));
  return lines.join('\r\n');
}

/**
 * RFC 2047 "B" encoded words of at most 75 characters each, split between code points (never
 * inside one's UTF-8 bytes), joined by folding white space; the first one also fits on a line
 * whose first `firstLineUsed` characters are taken (the header's name).
 */
export function encodedWords(text: string, firstLineUsed = 0): string {
  const prefix = '=?UTF-8?B?';
  const suffix = '?=';
  // 4 base64 characters per 3 bytes: the most bytes whose encoding fits in `width` characters.
  const bytesIn = (width: number) => Math.max(4, Math.floor((width - prefix.length - suffix.length) / 4) * 3);
  let maxBytes = bytesIn(Math.min(MAX_ENCODED_WORD, 77 - firstLineUsed));
  const words: string[] = [];
  let chunk: Buffer[] = [];
  let size = 0;
  const flush = () => {
    if (size === 0) return;
    words.push(`${prefix}${Buffer.concat(chunk).toString('base64')}${suffix}`);
    chunk = [];
    size = 0;
    maxBytes = bytesIn(MAX_ENCODED_WORD);
  };
  for (const char of text) {
    const bytes = Buffer.from(char, 'utf8');
    if (size + bytes.length > maxBytes) flush();
    chunk.push(bytes);
    size += bytes.length;
  }
  flush();
  return words.join('\r\n ');
}

/** An unstructured header value (RFC 5322 §2.2.3): as is when short printable ASCII, else encoded words. */
function unstructured(value: string, headerName: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ');
  if (ASCII_PRINTABLE.test(clean) && headerName.length + 2 + clean.length <= 78) return clean;
  if (ASCII_PRINTABLE.test(clean)) return foldAscii(clean, headerName.length + 2);
  return encodedWords(clean, headerName.length + 2);
}

/** Folds printable ASCII at spaces so that lines stay within 78 characters where words allow. */
function foldAscii(value: string, firstLineUsed: number): string {
  const words = value.split(' ');
  const lines: string[] = [];
  let line = '';
  let budget = 78 - firstLineUsed;
  for (const word of words) {
    if (line && line.length + 1 + word.length > budget) {
      lines.push(line);
      line = word;
      budget = 77; // continuation lines start with one space
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join('\r\n ');
}

/** `"Name" <address>` for the From header; an encoded name puts the address on its own line. */
function mailbox({ name, address }: Mailbox): string {
  if (!name) return `<${address}>`;
  if (ASCII_PRINTABLE.test(name)) return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
  return `${encodedWords(name, 'From: '.length)}\r\n <${address}>`;
}

/** RFC 5322 date-time in UTC, e.g. "Sun, 22 Nov 2026 10:39:27 +0000". */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** The complete message, ready for SMTP DATA (CRLF line ends; the transport dot-stuffs it). */
export function buildMimeMessage(input: MimeInput): Buffer {
  if (/[\r\n<>]/.test(input.to) || /[\r\n<>]/.test(input.from.address)) throw new Error('mail address with line breaks or angle brackets');
  const boundary = `=_meridian_${randomBytes(12).toString('hex')}`;
  const headers = [
    `From: ${mailbox(input.from)}`,
    `To: <${input.to}>`,
    `Subject: ${unstructured(input.subject, 'Subject')}`,
    `Date: ${rfc5322Date(input.date ?? new Date())}`,
    `Message-ID: <${randomUUID()}@${input.host}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', base64Lines(body)].join('\r\n');
  const message = [...headers, '', part('text/plain', input.text), part('text/html', input.html), `--${boundary}--`, ''].join('\r\n');
  return Buffer.from(message, 'utf8');
}
