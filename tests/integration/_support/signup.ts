import { inject } from 'vitest';
import type { Flow, FlowNode } from '../../../lib/domain/flows/flow';
import { createDb, type Db } from '../../../lib/infra/db/client';
import { mailCatcherClient, type MailReader } from '../../support/mail-catcher';
import { baseUrl } from './oidc';

/** Sign-up over the JSON flow API with plain HTTP, as a native renderer would. */

export type FlowResponse = { status: number; flow: Flow; headers: Headers };
export type ErrorBody = { error: { id: string; text: string; status: number } };

export function mail(): MailReader {
  return mailCatcherClient(inject('mailCatcherUrl'));
}

export async function api(path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl()}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null, headers: res.headers };
}

export async function startFlow(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<FlowResponse> {
  const r = await api('/api/flows', { json: { type: 'signup', ...body }, headers });
  return { status: r.status, flow: r.body as Flow, headers: r.headers };
}

/** POSTs values for the flow's current step (its hidden `step` is added unless given). */
export async function submit(flow: Flow, values: Record<string, unknown>, headers: Record<string, string> = {}): Promise<FlowResponse> {
  const r = await api(flow.ui.action, { json: { step: stepOf(flow), ...values }, headers });
  return { status: r.status, flow: r.body as Flow, headers: r.headers };
}

export function stepOf(flow: Flow): string | undefined {
  const node = input(flow, 'step');
  return node?.attributes.value;
}

export function input(flow: Flow, name: string): Extract<FlowNode, { type: 'input' }> | undefined {
  return flow.ui.nodes.find((n): n is Extract<FlowNode, { type: 'input' }> => n.type === 'input' && n.attributes.name === name);
}

export function errorsOf(flow: Flow, name?: string): { id: string; text: string }[] {
  const messages = name ? (input(flow, name)?.messages ?? []) : flow.ui.messages;
  return messages.filter((m) => m.type === 'error').map((m) => ({ id: m.id, text: m.text }));
}

let db: Db | undefined;

/** The server's database (same DATABASE_URL), to check what was written. */
export function serverDb(): Db {
  db ??= createDb(inject('serverEnv').DATABASE_URL!);
  return db;
}

export function uniqueEmail(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}@example.com`;
}

/** A password that passes the NIST rules (15+ characters, not common, not guessable). */
export const GOOD_PASSWORD = 'quiet-copper-meadow-lantern-42';
