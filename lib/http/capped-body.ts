import type { IncomingMessage } from 'node:http';

// Like Request.text(): UTF-8, a leading byte order mark dropped.
const utf8 = new TextDecoder();

function declaredLength(value: string | null | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** A Node request body as text; null once it passes `cap` bytes (the rest is never buffered). */
export function readNodeBodyCapped(req: IncomingMessage, cap: number): Promise<string | null> {
  if (declaredLength(req.headers['content-length']) > cap) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > cap) {
        // The stream keeps flowing with no listener: Node discards the rest of the upload.
        stop();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    }
    function onEnd() {
      stop();
      resolve(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    }
    function onError(e: Error) {
      stop();
      reject(e);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** A Web Request body as text; null once it passes `cap` bytes (reading stops there). */
export async function readWebBodyCapped(request: Request, cap: number): Promise<string | null> {
  if (declaredLength(request.headers.get('content-length')) > cap) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return utf8.decode(Buffer.concat(chunks, size));
}
