/**
 * Mail never on the request path (issue 31, point 4). The server under test mails to an SMTP
 * server started here that HOLDS every message at the end of DATA until the test releases it:
 * a request that waited on SMTP would never be answered. Known and unknown addresses are answered
 * while the known one's mail is held; released, it arrives once. A server killed (SIGKILL) while
 * its mail is held loses nothing: the next server process sends it.
 */
import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow, FlowNode } from '../../lib/domain/flows/flow';
import { startHoldingSmtpServer, type HoldingSmtpServer } from '../support/holding-smtp-server';
import { startServer, type RunningServer } from '../support/server-process';
import { Browser, expectPage } from './_support/browser';

// A send is abandoned after 4 s, so a claim a killed server held runs out after 8 s.
const SEND_TIMEOUT_SECONDS = '4';

let smtp: HoldingSmtpServer;
let server: RunningServer;

async function createAccount(on: RunningServer): Promise<string> {
  const email = `held-${randomUUID().slice(0, 8)}@example.com`;
  await on.cli(['accounts', 'create', '--email', email, '--password', `pw-${randomUUID()}`, '--region', 'JP', '--json']);
  return email;
}

/** The email-code form of a fresh sign-in at the demo web client (Japan offers email codes). */
async function openEmailCodeSignIn(on: RunningServer): Promise<{ browser: Browser; sendPath: string }> {
  const config = await oidc.discovery(new URL(`${on.url}/oidc`), 'demo-web', { redirect_uris: [`${on.url}/demo/callback`] }, oidc.ClientSecretBasic('demo-web-secret-0123456789'), {
    execute: [oidc.allowInsecureRequests],
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${on.url}/demo/callback`,
    scope: 'openid email',
    state: oidc.randomState(),
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
    region: 'JP',
  });
  const browser = new Browser(on.url);
  const page = expectPage(await browser.navigate(url), 'the sign-in page');
  const uid = /^\/interaction\/([^/]+)$/.exec(page.url.pathname)?.[1];
  if (!uid) throw new Error(`not a sign-in page: ${page.url.href}`);
  return { browser, sendPath: `/interaction/${uid}/email-code/send` };
}

/** Asks for a sign-in code; resolves with the answer's status once it has arrived. */
async function requestSignInCode(on: RunningServer, email: string): Promise<number> {
  const { browser, sendPath } = await openEmailCodeSignIn(on);
  const res = await browser.request(sendPath, { form: { email } });
  await res.body?.cancel();
  return res.status;
}

async function flowApi(path: string, json?: unknown): Promise<{ status: number; flow: Flow }> {
  const res = await fetch(`${server.url}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: { accept: 'application/json', ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.status, flow: (await res.json()) as Flow };
}

const stepOf = (flow: Flow) => flow.ui.nodes.find((n): n is Extract<FlowNode, { type: 'input' }> => n.type === 'input' && n.attributes.name === 'step')?.attributes.value;
const deliveredTo = (to: string) => smtp.delivered().filter((m) => m.to.includes(to));
const settle = () => new Promise((r) => setTimeout(r, 1500));

beforeAll(async () => {
  smtp = await startHoldingSmtpServer();
  server = await startServer({ env: { SMTP_URL: smtp.smtpUrl, MAIL_SEND_TIMEOUT_SECONDS: SEND_TIMEOUT_SECONDS } });
});

afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

describe('mail is sent after the answer, never during it', () => {
  it('answers email-code sign-in for a known and an unknown address while the known one’s mail is held; released, it arrives once', async () => {
    const known = await createAccount(server);
    const unknown = `nobody-${randomUUID().slice(0, 8)}@example.com`;
    expect(await requestSignInCode(server, known)).toBe(303);
    // The answer came first; the mail is at the SMTP server, unanswered.
    await smtp.waitForHeld(known);
    expect(deliveredTo(known)).toEqual([]);
    // Asking for an unknown address is answered alike while that mail is still held.
    expect(await requestSignInCode(server, unknown)).toBe(303);
    expect(smtp.held().some((m) => m.to.includes(known))).toBe(true);

    smtp.release({ hold: true });
    await smtp.waitForDelivered(known);
    await settle();
    expect(deliveredTo(known)).toHaveLength(1);
    expect(smtp.codeDeliveredTo(known)).toMatch(/^\d{6}$/);
    expect(deliveredTo(unknown)).toEqual([]);
  });

  it('answers the sign-up email step while the code mail is held; released, the code arrives once and verifies', async () => {
    const email = `signup-${randomUUID().slice(0, 8)}@example.com`;
    let { flow } = await flowApi('/api/flows', { type: 'signup', locale: 'en' });
    flow = (await flowApi(flow.ui.action, { step: stepOf(flow), region: 'JP' })).flow;
    expect(stepOf(flow)).toBe('email');
    const sent = await flowApi(flow.ui.action, { step: 'email', email });
    expect(sent.status).toBe(200);
    expect(stepOf(sent.flow)).toBe('email_code');
    await smtp.waitForHeld(email);
    expect(deliveredTo(email)).toEqual([]);

    smtp.release({ hold: true });
    await smtp.waitForDelivered(email);
    await settle();
    expect(deliveredTo(email)).toHaveLength(1);
    const verified = await flowApi(sent.flow.ui.action, { step: 'email_code', code: smtp.codeDeliveredTo(email) });
    expect(stepOf(verified.flow)).toBe('password');
  });

  it('loses no mail when the server is killed between the commit and the send: the next process sends it, once', async () => {
    const known = await createAccount(server);
    expect(await requestSignInCode(server, known)).toBe(303);
    await smtp.waitForHeld(known);
    await server.kill();
    // Its connection died with it: that message was never accepted.
    for (const deadline = Date.now() + 10_000; smtp.held().some((m) => m.to.includes(known)); ) {
      if (Date.now() > deadline) throw new Error('the killed server’s SMTP connection is still open');
      await new Promise((r) => setTimeout(r, 25));
    }
    smtp.release({ hold: false });
    expect(deliveredTo(known)).toEqual([]);

    server = await startServer({ databaseUrl: server.env.DATABASE_URL, env: { SMTP_URL: smtp.smtpUrl, MAIL_SEND_TIMEOUT_SECONDS: SEND_TIMEOUT_SECONDS } });
    await smtp.waitForDelivered(known, 30_000);
    await settle();
    expect(deliveredTo(known)).toHaveLength(1);
  });
});
