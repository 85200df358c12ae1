import { request as httpRequest } from 'node:http';
import { baseUrl } from './oidc';

export type UnfinishedAnswer = { status: number; contentType: string; text: string };

/**
 * A POST that sends `body` and then neither ends nor sends more (no Content-Length: chunked,
 * unless `headers` declares one): the answer a server gives without waiting for the end of the
 * upload, or a rejection after `waitMs`.
 */
export function postUnfinished(path: string, body: string, headers: Record<string, string>, waitMs = 5000): Promise<UnfinishedAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, baseUrl()), { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), text });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${waitMs} ms while the upload was unfinished`));
    }, waitMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.write(body);
  });
}
