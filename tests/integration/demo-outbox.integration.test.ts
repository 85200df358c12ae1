/**
 * The demo outbox (issue 31, point 21) is only for `npm run demo` (MERIDIAN_DEMO=1) and
 * development: a production server without SMTP_URL that is not a demo keeps its mail in the
 * outbox table, unsent, and shows it to nobody.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, sqlOf, type Db } from '../../lib/infra/db/client';
import { startServer, type RunningServer } from '../support/server-process';

let server: RunningServer;
let db: Db;

beforeAll(async () => {
  server = await startServer({ env: { SMTP_URL: '', MERIDIAN_DEMO: '0' } });
  db = createDb(server.env.DATABASE_URL!);
});

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

describe('demo outbox outside demo mode', () => {
  it('is a 404, and the demo page does not link to it', async () => {
    const outbox = await fetch(`${server.url}/demo/outbox`);
    expect(outbox.status).toBe(404);
    await outbox.body?.cancel();
    const demo = await (await fetch(`${server.url}/demo`)).text();
    expect(demo).not.toContain('/demo/outbox');
  });

  it('keeps the mail of a sign-up unsent, out of delivery, in the outbox table', async () => {
    const email = `kept-${randomUUID().slice(0, 8)}@example.com`;
    const post = async (path: string, json: unknown) =>
      (await (await fetch(`${server.url}${path}`, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(json) })).json()) as {
        ui: { action: string };
      };
    const flow = await post('/api/flows', { type: 'signup', locale: 'en' });
    await post(flow.ui.action, { step: 'region', region: 'JP' });
    await post(flow.ui.action, { step: 'email', email });
    const rows = await sqlOf(db).query<{ status: string; subject: string }>('SELECT "status", "subject" FROM "mail_outbox" WHERE "to_address" = ?', [email]);
    expect(rows).toEqual([{ status: 'local', subject: expect.stringMatching(/^\d{6} is your Meridian ID verification code$/) }]);
  });
});
