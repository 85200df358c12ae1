import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Runs a handler that server.mjs calls outside Next.js (/oidc/…, the JSON flow API). A failure is
 * logged under `label` and answered with `fail` (each door has its own error shape), or, when the
 * response had already started, the connection is closed: a half-written answer must not look whole.
 */
export function runDirectHandler(
  label: string,
  req: IncomingMessage,
  res: ServerResponse,
  serve: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  fail: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  serve(req, res).catch((e: unknown) => {
    console.error(`[${label}] request failed`, e);
    if (res.headersSent) res.destroy();
    else fail(req, res);
  });
}
