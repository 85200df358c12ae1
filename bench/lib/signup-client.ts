import { LeanHttpConnection } from './lean-http';
import { readThreadCpuNs } from './proc';
import type { SmtpSink } from './smtp-sink';

/**
 * The sign-up benchmark's client: complete US sign-ups through the JSON flow API, as a native
 * renderer would post them: each submission carries the instruction's hidden inputs (`step`, and
 * `steps` on a screen of several steps) and the values of its fields. The US asks for the
 * password, the date of birth and the terms on one screen ("details").
 */

export type StepName = 'create' | 'email' | 'email_code' | 'details';
export const STEPS: StepName[] = ['create', 'email', 'email_code', 'details'];

/** Mean server CPU of one request of a step, one sign-up at a time (ms). */
export type StepCpu = { mainMs: number; otherMs: number };

export const PASSWORD = 'bench-quiet-copper-meadow-lantern';

type Flow = { id: string; state: string; ui: { action: string; nodes: { type: string; attributes: { name?: string; value?: string } }[] } };

function stepOf(flow: Flow): string | undefined {
  return flow.ui.nodes.find((n) => n.type === 'input' && n.attributes.name === 'step')?.attributes.value;
}

/** The instruction's hidden inputs (step, steps) with `values`: what a renderer submits. */
function answer(flow: Flow, values: Record<string, string | boolean>): Record<string, string | boolean> {
  const hidden = flow.ui.nodes.filter((n) => n.type === 'input' && (n.attributes as { type?: string }).type === 'hidden');
  return { ...Object.fromEntries(hidden.map((n) => [n.attributes.name ?? '', n.attributes.value ?? ''])), ...values };
}

const inputNames = (flow: Flow) => flow.ui.nodes.filter((n) => n.type === 'input').map((n) => n.attributes.name);

/** One sign-up at a time over its own kept-alive connection (lib/lean-http.ts: cheap for this process). */
export class SignUpClient {
  private readonly connection: LeanHttpConnection;
  /** When set (one sign-up at a time), each request's server CPU is read around it. */
  serverPid: number | undefined;

  constructor(
    url: string,
    private readonly sink: SmtpSink,
  ) {
    const base = new URL(url);
    this.connection = new LeanHttpConnection(base.hostname, Number(base.port), ['Accept-Language: en']);
  }

  private async call(path: string, body: unknown, record: (ms: number, cpu?: StepCpu) => void, expected: number): Promise<Flow> {
    const before = this.serverPid === undefined ? undefined : readThreadCpuNs(this.serverPid);
    const t = performance.now();
    const res = await this.connection.post(path, JSON.stringify(body));
    const ms = performance.now() - t;
    if (before && this.serverPid !== undefined) {
      const after = readThreadCpuNs(this.serverPid);
      record(ms, { mainMs: (after.mainNs - before.mainNs) / 1e6, otherMs: (after.otherNs - before.otherNs) / 1e6 });
    } else record(ms);
    if (res.status !== expected) throw new Error(`${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
    return JSON.parse(res.text) as Flow;
  }

  close(): void {
    this.connection.close();
  }

  /** One complete US sign-up; `record(step, ms)` gets each request's latency. */
  async signUp(email: string, record: (step: StepName, ms: number, cpu?: StepCpu) => void): Promise<void> {
    const r = (step: StepName) => (ms: number, cpu?: StepCpu) => record(step, ms, cpu);
    let flow = await this.call('/api/flows', { type: 'signup', region: 'US', locale: 'en' }, r('create'), 201);
    flow = await this.call(flow.ui.action, answer(flow, { email }), r('email'), 200);
    const code = await this.sink.codeFor(email);
    flow = await this.call(flow.ui.action, answer(flow, { code }), r('email_code'), 200);
    const fields = inputNames(flow);
    if (!['password', 'birth_date', 'accept_terms', 'accept_privacy'].every((name) => fields.includes(name))) {
      throw new Error(`the US details screen asks for ${fields.join(', ')}`);
    }
    flow = await this.call(flow.ui.action, answer(flow, { password: PASSWORD, birth_date: '1988-08-08', accept_terms: true, accept_privacy: true }), r('details'), 200);
    if (flow.state !== 'complete') throw new Error(`sign-up of ${email} ended at step ${stepOf(flow)} (${flow.state})`);
  }
}

