/**
 * Sign-up benchmark scenario (issue 3): complete sign-ups per second through the JSON flow API
 * (POST /api/flows, then each step) with mail over SMTP to a local sink, next to bare argon2id
 * hashes per second with the same parameters on the same machine (goal: sign-ups ≥ 70% of it,
 * since hashing the password should dominate), and the latency of a non-hashing step (goal: p95
 * under 30 ms on the production build).
 *
 * Self-contained: it starts its own production server (NEXT_DIST_DIR) with a copy of
 * idp.config.yaml whose per-IP sign-up limits are lifted (every request comes from 127.0.0.1),
 * and its own SMTP sink that reads the code from each mail's subject. The HTTP client and the sink
 * are lean (bench/lib/lean-http.ts, smtp-sink.ts): they share the two cores with the server. Wire it into bench/run.ts:
 *
 *   import { runSignUpBench, signUpRows } from './signup';
 *   const signUp = await runSignUpBench({ durationS, warmupS, log });
 *   rows.push(...signUpRows(signUp));
 *
 * Or alone: `npx tsx bench/signup.ts [--duration 10] [--warmup 3] [--concurrency 8] [--samples 40]`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hash } from '@node-rs/argon2';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startServer, type RunningServer } from '../tests/support/server-process';
import { OWASP_ARGON2ID } from './lib/argon2-bare';
import { LeanHttpConnection } from './lib/lean-http';
import { findListeningPid, readCpuMs, readThreadCpuNs } from './lib/proc';
import type { Row } from './lib/report';
import { startSmtpSink, type SmtpSink } from './lib/smtp-sink';
import { percentile, round, sleep } from './lib/stats';

const ROOT = resolve(__dirname, '..');
const PASSWORD = 'bench-quiet-copper-meadow-lantern';

export const SIGNUP_GOALS = { minShareOfArgon2: 0.7, nonHashingStepMaxP95Ms: 30 };

export type SignUpBenchOptions = {
  durationS?: number;
  warmupS?: number;
  /** Sign-ups in flight at once (default 2 × the server's hash cap). */
  concurrency?: number;
  /** Sequential sign-ups for the unloaded step latencies (default 40). */
  latencySamples?: number;
  /** Next.js build folder (default $NEXT_DIST_DIR or .next-bench). */
  dist?: string;
  log?: (message: string) => void;
};

type StepName = 'create' | 'email' | 'email_code' | 'password' | 'birth_date' | 'terms';
const STEPS: StepName[] = ['create', 'email', 'email_code', 'password', 'birth_date', 'terms'];
/** The step whose latency the goal reads: a validation and one write transaction, no hashing. */
const NON_HASHING_STEP: StepName = 'birth_date';

export type StepLatency = { count: number; p50Ms: number; p95Ms: number; p99Ms: number };

/** Mean server CPU of one request of a step, one sign-up at a time (ms). */
export type StepCpu = { mainMs: number; otherMs: number };

export type SignUpBenchResult = {
  region: string;
  concurrency: number;
  hashCap: number;
  durationS: number;
  completed: number;
  failed: number;
  failures: string[];
  signUpsPerSecond: number;
  /** CPU time of the server process per completed sign-up during the throughput run (ms). */
  serverCpuMsPerSignUp: number;
  /** The same, split: the JavaScript thread, and all other threads (argon2id on the libuv pool, GC). */
  serverThreadCpuMsPerSignUp: StepCpu;
  /** CPU time of this process (HTTP client, SMTP sink) per completed sign-up (ms): it shares the cores. */
  loadGeneratorCpuMsPerSignUp: number;
  /** CPU time of one bare argon2id hash (ms): the part of a sign-up that cannot go away. */
  argon2CpuMsPerHash: number;
  argon2HashesPerSecond: number;
  shareOfArgon2: number;
  /** Per step, during the throughput run. */
  loadedSteps: Record<StepName, StepLatency>;
  /** Per step, one sign-up at a time (the server otherwise idle). */
  unloadedSteps: Record<StepName, StepLatency>;
  /** Server CPU per step, one sign-up at a time: the JavaScript thread, and all other threads (argon2id, GC). */
  unloadedStepCpu: Record<StepName, StepCpu>;
  nonHashingStep: StepName;
  passShare: boolean;
  passLatency: boolean;
};

/** idp.config.yaml with per-IP sign-up limits lifted: the whole benchmark comes from one address. */
function benchConfig(): string {
  const config = parseYaml(readFileSync(join(ROOT, 'idp.config.yaml'), 'utf8')) as Record<string, unknown>;
  const policies = (config.policies ?? {}) as Record<string, unknown>;
  policies.signup = { ...((policies.signup as object | undefined) ?? {}), code_sends_per_ip_per_hour: 1_000_000, code_failures_per_ip: 1_000_000, flows_per_ip: 1_000_000 };
  config.policies = policies;
  const file = join(mkdtempSync(join(tmpdir(), 'meridian-bench-')), 'idp.config.yaml');
  writeFileSync(file, stringifyYaml(config));
  return file;
}

type Flow = { id: string; state: string; ui: { action: string; nodes: { type: string; attributes: { name?: string; value?: string } }[] } };

function stepOf(flow: Flow): string | undefined {
  return flow.ui.nodes.find((n) => n.type === 'input' && n.attributes.name === 'step')?.attributes.value;
}

/** One sign-up at a time over its own kept-alive connection (lib/lean-http.ts: cheap for this process). */
class SignUpClient {
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
    flow = await this.call(flow.ui.action, { step: 'email', email }, r('email'), 200);
    const code = await this.sink.codeFor(email);
    flow = await this.call(flow.ui.action, { step: 'email_code', code }, r('email_code'), 200);
    flow = await this.call(flow.ui.action, { step: 'password', password: PASSWORD }, r('password'), 200);
    flow = await this.call(flow.ui.action, { step: 'birth_date', birth_date: '1988-08-08' }, r('birth_date'), 200);
    flow = await this.call(flow.ui.action, { step: 'terms', accept_terms: true, accept_privacy: true }, r('terms'), 200);
    if (flow.state !== 'complete') throw new Error(`sign-up of ${email} ended at step ${stepOf(flow)} (${flow.state})`);
  }
}

function summarize(samples: Map<StepName, number[]>): Record<StepName, StepLatency> {
  return Object.fromEntries(
    STEPS.map((s) => {
      const list = samples.get(s) ?? [];
      return [s, { count: list.length, p50Ms: percentile(list, 50), p95Ms: percentile(list, 95), p99Ms: percentile(list, 99) }];
    }),
  ) as Record<StepName, StepLatency>;
}

/** Bare argon2id hashes (the server's parameters) at `concurrency`, in this process. */
async function argon2HashesPerSecond(concurrency: number, durationS: number, warmupS: number): Promise<number> {
  const run = async (seconds: number) => {
    let done = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          await hash(PASSWORD, OWASP_ARGON2ID);
          done += 1;
        }
      }),
    );
    return done;
  };
  await run(warmupS);
  const start = performance.now();
  const done = await run(durationS);
  return done / ((performance.now() - start) / 1000);
}

export async function runSignUpBench(options: SignUpBenchOptions = {}): Promise<SignUpBenchResult> {
  const log = options.log ?? ((m: string) => console.log(`[bench signup] ${m}`));
  const durationS = options.durationS ?? 10;
  const warmupS = options.warmupS ?? 3;
  const hashCap = Number(process.env.PASSWORD_HASH_CONCURRENCY) || 4;
  const concurrency = options.concurrency ?? 2 * hashCap;
  process.env.NEXT_DIST_DIR = options.dist ?? process.env.NEXT_DIST_DIR ?? '.next-bench';
  const sink = await startSmtpSink();
  let server: RunningServer | undefined;
  const clients: SignUpClient[] = [];
  try {
    server = await startServer({ env: { SMTP_URL: sink.smtpUrl, IDP_CONFIG: benchConfig() } });
    const url = server.url;
    const newClient = () => {
      const c = new SignUpClient(url, sink);
      clients.push(c);
      return c;
    };
    const client = newClient();
    let n = 0;
    const nextEmail = () => `bench-${Date.now().toString(36)}-${(n += 1)}@example.com`;

    log(`server ${server.url}; warm-up`);
    for (let i = 0; i < 3; i += 1) await client.signUp(nextEmail(), () => undefined);

    // 1. Unloaded latencies: one sign-up at a time.
    const samples = options.latencySamples ?? 40;
    const unloaded = new Map<StepName, number[]>();
    const cpuSums = new Map<StepName, StepCpu & { n: number }>();
    client.serverPid = findListeningPid(server.port);
    for (let i = 0; i < samples; i += 1) {
      await client.signUp(nextEmail(), (step, ms, cpu) => {
        let list = unloaded.get(step);
        if (!list) unloaded.set(step, (list = []));
        list.push(ms);
        if (!cpu) return;
        const sum = cpuSums.get(step) ?? { mainMs: 0, otherMs: 0, n: 0 };
        cpuSums.set(step, { mainMs: sum.mainMs + cpu.mainMs, otherMs: sum.otherMs + cpu.otherMs, n: sum.n + 1 });
      });
    }
    client.serverPid = undefined;
    const unloadedSteps = summarize(unloaded);
    const unloadedStepCpu = Object.fromEntries(
      STEPS.map((s) => {
        const sum = cpuSums.get(s);
        return [s, sum ? { mainMs: sum.mainMs / sum.n, otherMs: sum.otherMs / sum.n } : { mainMs: Number.NaN, otherMs: Number.NaN }];
      }),
    ) as Record<StepName, StepCpu>;
    const cpuTotal = STEPS.reduce((t, s) => ({ mainMs: t.mainMs + unloadedStepCpu[s].mainMs, otherMs: t.otherMs + unloadedStepCpu[s].otherMs }), { mainMs: 0, otherMs: 0 });
    log(`one at a time (${samples}): ${STEPS.map((s) => `${s} p95 ${round(unloadedSteps[s].p95Ms, 1)} ms`).join(', ')}`);
    log(
      `server CPU per step, one at a time (JavaScript thread + other threads): ${STEPS.map((s) => `${s} ${round(unloadedStepCpu[s].mainMs, 2)}+${round(unloadedStepCpu[s].otherMs, 2)}`).join(', ')}; sign-up ${round(cpuTotal.mainMs, 2)}+${round(cpuTotal.otherMs, 2)} ms`,
    );

    // 2. Throughput: `concurrency` sign-ups in flight for warm-up + duration; count those finished in the measured window.
    await sleep(1000);
    const loaded = new Map<StepName, number[]>();
    const failures: string[] = [];
    let completed = 0;
    let failed = 0;
    const pid = findListeningPid(server.port);
    // Server CPU over exactly the measured window (sign-ups still in flight at either edge add a little).
    let cpuAtStart = 0;
    let cpuAtEnd = 0;
    let threadsAtStart = { mainNs: 0, otherNs: 0 };
    let threadsAtEnd: typeof threadsAtStart | undefined;
    // This process (the HTTP client and the SMTP sink) shares the machine's cores with the server.
    const ownCpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    let ownCpuAtStart = 0;
    let ownCpuAtEnd = 0;
    setTimeout(() => {
      cpuAtStart = readCpuMs(pid);
      threadsAtStart = readThreadCpuNs(pid);
      ownCpuAtStart = ownCpuMs();
    }, warmupS * 1000);
    setTimeout(() => {
      cpuAtEnd = readCpuMs(pid);
      threadsAtEnd = readThreadCpuNs(pid);
      ownCpuAtEnd = ownCpuMs();
    }, (warmupS + durationS) * 1000);
    const t0 = performance.now();
    const measureFrom = t0 + warmupS * 1000;
    const end = measureFrom + durationS * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const worker = newClient();
        while (performance.now() < end) {
          try {
            await worker.signUp(nextEmail(), (step, ms) => {
              if (performance.now() < measureFrom) return;
              let list = loaded.get(step);
              if (!list) loaded.set(step, (list = []));
              list.push(ms);
            });
            if (performance.now() >= measureFrom && performance.now() <= end) completed += 1;
          } catch (e) {
            failed += 1;
            if (failures.length < 5) failures.push((e as Error).message);
          }
        }
      }),
    );
    const serverCpuMs = (cpuAtEnd || readCpuMs(pid)) - cpuAtStart;
    const threads = threadsAtEnd ?? readThreadCpuNs(pid);
    const perSignUp = (ns: number) => ns / 1e6 / Math.max(1, completed);
    const serverThreadCpu = { mainMs: perSignUp(threads.mainNs - threadsAtStart.mainNs), otherMs: perSignUp(threads.otherNs - threadsAtStart.otherNs) };
    const loadCpuMs = (ownCpuAtEnd || ownCpuMs()) - ownCpuAtStart;
    const loadedSteps = summarize(loaded);
    const signUpsPerSecond = completed / durationS;
    log(`${concurrency} in flight: ${round(signUpsPerSecond, 2)} sign-ups/s (${completed} in ${durationS} s, ${failed} failed), server CPU ${round(serverCpuMs / Math.max(1, completed), 1)} ms per sign-up (JavaScript thread ${round(serverThreadCpu.mainMs, 1)}, other threads ${round(serverThreadCpu.otherMs, 1)}; load generator and SMTP sink ${round(loadCpuMs / Math.max(1, completed), 1)} ms); ${STEPS.map((s) => `${s} p95 ${round(loadedSteps[s].p95Ms, 1)} ms`).join(', ')}`);

    // 3. The ceiling: bare argon2id hashes at the server's hash cap, server idle.
    await sleep(2000);
    const cpuBefore = process.cpuUsage();
    const argon2Start = performance.now();
    const argon2 = await argon2HashesPerSecond(hashCap, durationS, warmupS);
    const argon2Cpu = process.cpuUsage(cpuBefore);
    const argon2CpuMsPerHash = (argon2Cpu.user + argon2Cpu.system) / 1000 / (argon2 * ((performance.now() - argon2Start) / 1000));
    const share = argon2 > 0 ? signUpsPerSecond / argon2 : 0;
    log(`argon2id CPU ${round(argon2CpuMsPerHash, 1)} ms per hash`);
    log(`bare argon2id hash (${OWASP_ARGON2ID.memoryCost} KiB, t=${OWASP_ARGON2ID.timeCost}, p=${OWASP_ARGON2ID.parallelism}), ${hashCap} at once: ${round(argon2, 1)}/s; sign-ups = ${round(share * 100)}%`);
    return {
      region: 'US',
      concurrency,
      hashCap,
      durationS,
      completed,
      failed,
      failures,
      signUpsPerSecond,
      serverCpuMsPerSignUp: completed > 0 ? serverCpuMs / completed : Number.NaN,
      serverThreadCpuMsPerSignUp: serverThreadCpu,
      loadGeneratorCpuMsPerSignUp: completed > 0 ? loadCpuMs / completed : Number.NaN,
      argon2CpuMsPerHash,
      argon2HashesPerSecond: argon2,
      shareOfArgon2: share,
      loadedSteps,
      unloadedSteps,
      unloadedStepCpu,
      nonHashingStep: NON_HASHING_STEP,
      passShare: failed === 0 && share >= SIGNUP_GOALS.minShareOfArgon2,
      passLatency: unloadedSteps[NON_HASHING_STEP].p95Ms < SIGNUP_GOALS.nonHashingStepMaxP95Ms,
    };
  } finally {
    for (const c of clients) c.close();
    await server?.stop();
    await sink.stop();
  }
}

/** Rows for bench/lib/report.ts. */
export function signUpRows(r: SignUpBenchResult): Row[] {
  const step = r.nonHashingStep;
  return [
    {
      id: 'S1',
      name: `complete sign-ups (${r.region}: create + 5 steps, SMTP to a local sink), ${r.concurrency} in flight (${Math.round(r.shareOfArgon2 * 100)}% of S2)`,
      rps: r.signUpsPerSecond,
      cpuMsPerRequest: r.serverCpuMsPerSignUp,
      bad: r.failed,
      goal: `≥ ${SIGNUP_GOALS.minShareOfArgon2 * 100}% of S2`,
      pass: r.passShare,
    },
    { id: 'S2', name: `bare argon2id hash (same parameters), ${r.hashCap} at once, in-process`, rps: r.argon2HashesPerSecond, bad: 0, cpuMsPerRequest: r.argon2CpuMsPerHash },
    {
      id: 'S3',
      name: `non-hashing step \`POST /api/flows/<id>\` (${step}), one sign-up at a time`,
      value: `p50 ${round(r.unloadedSteps[step].p50Ms, 1)} ms, p95 ${round(r.unloadedSteps[step].p95Ms, 1)} ms`,
      goal: `p95 < ${SIGNUP_GOALS.nonHashingStepMaxP95Ms} ms`,
      pass: r.passLatency,
    },
    { id: 'S3b', name: `same step during the throughput run (informative)`, value: `p95 ${round(r.loadedSteps[step].p95Ms, 1)} ms` },
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(__filename)) {
  const { values } = parseArgs({ options: { duration: { type: 'string' }, warmup: { type: 'string' }, concurrency: { type: 'string' }, samples: { type: 'string' }, dist: { type: 'string' } } });
  runSignUpBench({
    durationS: values.duration ? Number(values.duration) : undefined,
    warmupS: values.warmup ? Number(values.warmup) : undefined,
    concurrency: values.concurrency ? Number(values.concurrency) : undefined,
    latencySamples: values.samples ? Number(values.samples) : undefined,
    dist: values.dist,
  }).then(
    (r) => {
      console.log(JSON.stringify({ ...r, rows: signUpRows(r) }, null, 2));
      process.exit(0);
    },
    (e: unknown) => {
      console.error('The sign-up benchmark could not run:', e);
      process.exit(1);
    },
  );
}
