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
 * Or alone: `npx tsx bench/signup.ts [--duration 10] [--warmup 3] [--warmup-signups 1500] [--concurrency 12] [--samples 40] [--rounds 5]`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startServer, type RunningServer } from '../tests/support/server-process';
import { defaultHashConcurrency } from '../lib/config/env';
import { runBareArgon2InChild } from './argon2-bare-process';
import { OWASP_ARGON2ID } from './lib/argon2-bare';
import { cpuSpentMs, findListeningPid, readCpuMs, readStealShare, readThreadCpuNs, type CpuReading, type CpuTimes } from './lib/proc';
import type { Row } from './lib/report';
import { PASSWORD, SignUpClient, STEPS, type StepCpu, type StepName } from './lib/signup-client';
import { startSmtpSink } from './lib/smtp-sink';
import { percentile, round, sleep } from './lib/stats';

const ROOT = resolve(__dirname, '..');

export const SIGNUP_GOALS = { minShareOfArgon2: 0.7, nonHashingStepMaxP95Ms: 30 };

export type SignUpBenchOptions = {
  durationS?: number;
  warmupS?: number;
  /**
   * Sign-ups in flight at once. Default 3 × the server's hash cap: the most it admits without
   * refusing any, as at most that many can be at the password step at once and the hasher runs
   * `cap` and queues 2 × `cap` (beyond, 503 server.busy). Fewer leave the cores idle at times.
   */
  concurrency?: number;
  /**
   * Complete sign-ups at `concurrency` before anything is measured (default 1500). A fresh server
   * is not the server that runs for days: V8 compiles the hot paths in its background threads
   * while the first thousand or so sign-ups run (measured: those threads' CPU per sign-up fell
   * from 4–5 ms to ~0.3 ms, the JavaScript thread's by about a quarter), so a few seconds of
   * warm-up measured the compiler as much as the server. Counted in sign-ups, not seconds: tiering
   * follows how often code runs.
   */
  warmupSignUps?: number;
  /** Sequential sign-ups for the unloaded step latencies (default 40). */
  latencySamples?: number;
  /**
   * Rounds of [sign-ups for `durationS`, then bare argon2id for `durationS`] (default 5): the
   * share is the median of the rounds' shares, so that a slower spell of the machine (steal time
   * of a shared VM) weighs on both sides of a round instead of on one side of the ratio. Five, not
   * three: on a host whose hashing speed drifts by ±15% within minutes, single rounds spread by
   * ±8 points (docs/performance-history.md, session 12).
   */
  rounds?: number;
  /** Next.js build folder (default $NEXT_DIST_DIR or .next-bench). */
  dist?: string;
  /** The server's database (default a fresh SQLite file); a PostgreSQL one must be empty. */
  databaseUrl?: string;
  /** The database's own processes (PostgreSQL backends), to charge their CPU per sign-up. */
  dbCpu?: () => CpuReading;
  log?: (message: string) => void;
};

/** The step whose latency the goal reads: a validation and one write transaction, no hashing or mail. */
const NON_HASHING_STEP: StepName = 'email_code';

export type StepLatency = { count: number; p50Ms: number; p95Ms: number; p99Ms: number };


/** One round: sign-ups, then bare argon2id hashes, each for `durationS`. */
export type SignUpRound = {
  signUpsPerSecond: number;
  argon2HashesPerSecond: number;
  share: number;
  /** Share of the machine's CPU time the hypervisor gave to others (/proc/stat steal) in each half. */
  stealDuringSignUps: number;
  stealDuringArgon2: number;
  /**
   * CPU time of a bare hash ÷ CPU time of a sign-up (server and load generator): the share the
   * two cores would give if they were wholly ours. Steal time (a busy host) lowers the wall-clock
   * share of the side it falls on; this figure does not see it.
   */
  cpuShare: number;
};

/** The warm-up before measuring: server CPU per sign-up at its start and at its end (JavaScript thread + other threads). */
export type WarmUp = { signUps: number; failed: number; seconds: number; first: StepCpu; last: StepCpu };

export type SignUpBenchResult = {
  region: string;
  concurrency: number;
  hashCap: number;
  durationS: number;
  rounds: SignUpRound[];
  completed: number;
  failed: number;
  failures: string[];
  signUpsPerSecond: number;
  /** CPU time of the server process per completed sign-up during the throughput run (ms). */
  serverCpuMsPerSignUp: number;
  /** CPU time of the database's own processes (PostgreSQL backends) per completed sign-up (ms). */
  dbCpuMsPerSignUp?: number;
  /** The same, split: the JavaScript thread, and all other threads (the argon2id workers, GC). */
  serverThreadCpuMsPerSignUp: StepCpu;
  /** CPU time of this process (HTTP client, SMTP sink) per completed sign-up (ms): it shares the cores. */
  loadGeneratorCpuMsPerSignUp: number;
  /** CPU time of one bare argon2id hash (ms): the part of a sign-up that cannot go away. */
  argon2CpuMsPerHash: number;
  argon2HashesPerSecond: number;
  shareOfArgon2: number;
  /** Median of the rounds' CPU-time shares (SignUpRound.cpuShare). */
  cpuShareOfArgon2: number;
  warmUp: WarmUp;
  /** Per step, during the throughput runs. */
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

function summarize(samples: Map<StepName, number[]>): Record<StepName, StepLatency> {
  return Object.fromEntries(
    STEPS.map((s) => {
      const list = samples.get(s) ?? [];
      return [s, { count: list.length, p50Ms: percentile(list, 50), p95Ms: percentile(list, 95), p99Ms: percentile(list, 99) }];
    }),
  ) as Record<StepName, StepLatency>;
}

/**
 * Bare argon2id hashes (the server's parameters), `threads` at once, in a process of its own that
 * keeps its cores busy (bench/argon2-bare-process.ts): count and CPU over `durationS`.
 */
async function argon2Window(threads: number, durationS: number, warmupS: number): Promise<{ perSecond: number; cpuMsPerHash: number; steal: number }> {
  const r = await runBareArgon2InChild({ threads, durationS, warmupS, op: 'hash', password: PASSWORD });
  return { perSecond: r.perSecond, cpuMsPerHash: r.cpuMsPerHash, steal: r.steal };
}

type LoadWindow = {
  completed: number;
  failed: number;
  failures: string[];
  seconds: number;
  serverCpuMs: number;
  dbCpuMs: number | undefined;
  threads: { mainNs: number; otherNs: number };
  loadCpuMs: number;
  steal: number;
};

/**
 * `concurrency` sign-ups in flight, each on its own client, for `warmupS` + `durationS`; counts
 * those finished in the measured window, and the CPU of the server and of this process (the
 * HTTP client and the SMTP sink share the cores) over exactly that window.
 */
async function signUpWindow(
  clients: () => SignUpClient,
  nextEmail: () => string,
  pid: number,
  { concurrency, durationS, warmupS, loaded, dbCpu }: { concurrency: number; durationS: number; warmupS: number; loaded: Map<StepName, number[]>; dbCpu?: () => CpuReading },
): Promise<LoadWindow> {
  const failures: string[] = [];
  let completed = 0;
  let failed = 0;
  const ownCpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  type Mark = { cpuMs: number; db: CpuReading | undefined; threads: { mainNs: number; otherNs: number }; ownMs: number; steal: CpuTimes; at: number };
  const mark = (): Mark => ({ cpuMs: readCpuMs(pid), db: dbCpu?.(), threads: readThreadCpuNs(pid), ownMs: ownCpuMs(), steal: readStealShare().times, at: performance.now() });
  let first: Mark | undefined;
  let last: Mark | undefined;
  const t0 = performance.now();
  const measureFrom = t0 + warmupS * 1000;
  const end = measureFrom + durationS * 1000;
  const startTimer = setTimeout(() => (first = mark()), warmupS * 1000);
  const endTimer = setTimeout(() => (last = mark()), (warmupS + durationS) * 1000);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const worker = clients();
      while (performance.now() < end) {
        try {
          await worker.signUp(nextEmail(), (step, ms) => {
            if (performance.now() < measureFrom) return;
            let list = loaded.get(step);
            if (!list) loaded.set(step, (list = []));
            list.push(ms);
          });
          const now = performance.now();
          if (now >= measureFrom && now <= end) completed += 1;
        } catch (e) {
          failed += 1;
          if (failures.length < 5) failures.push((e as Error).message);
        }
      }
    }),
  );
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  first ??= mark();
  last ??= mark();
  return {
    completed,
    failed,
    failures,
    seconds: (last.at - first.at) / 1000,
    serverCpuMs: last.cpuMs - first.cpuMs,
    dbCpuMs: first.db && last.db ? cpuSpentMs(first.db, last.db) : undefined,
    threads: { mainNs: last.threads.mainNs - first.threads.mainNs, otherNs: last.threads.otherNs - first.threads.otherNs },
    loadCpuMs: last.ownMs - first.ownMs,
    steal: readStealShare(first.steal, last.steal).share,
  };
}

const median = (values: number[]) => percentile(values, 50);

/**
 * `count` complete sign-ups at `concurrency` (see SignUpBenchOptions.warmupSignUps); the server's
 * CPU per sign-up over the first and the last fifth of them shows whether it has settled.
 */
async function warmUp(clients: () => SignUpClient, nextEmail: () => string, pid: number, { count, concurrency }: { count: number; concurrency: number }): Promise<WarmUp> {
  const fifth = Math.max(1, Math.floor(count / 5));
  const marks = new Map<number, { mainNs: number; otherNs: number }>();
  const markAt = new Set([0, fifth, count - fifth, count]);
  let started = 0;
  let completed = 0;
  let failed = 0;
  const t0 = performance.now();
  marks.set(0, readThreadCpuNs(pid));
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const worker = clients();
      while (started < count) {
        started += 1;
        try {
          await worker.signUp(nextEmail(), () => undefined);
        } catch {
          // Counted like a finished one (its requests still warmed the server); the rounds report failures.
          failed += 1;
        }
        completed += 1;
        if (markAt.has(completed)) marks.set(completed, readThreadCpuNs(pid));
      }
    }),
  );
  const per = (from: number, to: number): StepCpu => {
    const a = marks.get(from)!;
    const b = marks.get(to)!;
    return { mainMs: (b.mainNs - a.mainNs) / 1e6 / (to - from), otherMs: (b.otherNs - a.otherNs) / 1e6 / (to - from) };
  };
  return { signUps: count, failed, seconds: (performance.now() - t0) / 1000, first: per(0, fifth), last: per(count - fifth, count) };
}

export async function runSignUpBench(options: SignUpBenchOptions = {}): Promise<SignUpBenchResult> {
  const log = options.log ?? ((m: string) => console.log(`[bench signup] ${m}`));
  const durationS = options.durationS ?? 10;
  const warmupS = options.warmupS ?? 3;
  const hashCap = Number(process.env.PASSWORD_HASH_CONCURRENCY) || defaultHashConcurrency();
  const concurrency = options.concurrency ?? 3 * hashCap;
  const roundCount = Math.max(1, options.rounds ?? 5);
  process.env.NEXT_DIST_DIR = options.dist ?? process.env.NEXT_DIST_DIR ?? '.next-bench';
  const sink = await startSmtpSink();
  let server: RunningServer | undefined;
  const clients: SignUpClient[] = [];
  try {
    server = await startServer({ databaseUrl: options.databaseUrl, env: { SMTP_URL: sink.smtpUrl, IDP_CONFIG: benchConfig() } });
    const url = server.url;
    const newClient = () => {
      const c = new SignUpClient(url, sink);
      clients.push(c);
      return c;
    };
    const client = newClient();
    let n = 0;
    const nextEmail = () => `bench-${Date.now().toString(36)}-${(n += 1)}@example.com`;

    const pid = findListeningPid(server.port);
    const warmupSignUps = Math.max(5, options.warmupSignUps ?? 1500);
    log(`server ${server.url}; warm-up: ${warmupSignUps} sign-ups, ${concurrency} in flight`);
    const warm = await warmUp(newClient, nextEmail, pid, { count: warmupSignUps, concurrency });
    const cpu = (c: StepCpu) => `${round(c.mainMs, 2)}+${round(c.otherMs, 2)} ms`;
    log(`warm-up took ${round(warm.seconds, 1)} s (${warm.failed} failed); server CPU per sign-up (JavaScript thread + other threads): first fifth ${cpu(warm.first)}, last fifth ${cpu(warm.last)}`);

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

    // 2. Throughput and its ceiling, in alternating rounds (see `rounds`).
    const loaded = new Map<StepName, number[]>();
    const windows: LoadWindow[] = [];
    const rounds: SignUpRound[] = [];
    let argon2CpuMsSum = 0;
    for (let index = 0; index < roundCount; index += 1) {
      await sleep(1000);
      const w = await signUpWindow(newClient, nextEmail, pid, { concurrency, durationS, warmupS: index === 0 ? warmupS : 1, loaded, dbCpu: options.dbCpu });
      windows.push(w);
      await sleep(1000);
      const a = await argon2Window(hashCap, durationS, index === 0 ? warmupS : 1);
      argon2CpuMsSum += a.cpuMsPerHash;
      const perSecond = w.completed / w.seconds;
      const cpuShare = w.completed > 0 ? a.cpuMsPerHash / ((w.serverCpuMs + w.loadCpuMs) / w.completed) : 0;
      rounds.push({ signUpsPerSecond: perSecond, argon2HashesPerSecond: a.perSecond, share: a.perSecond > 0 ? perSecond / a.perSecond : 0, stealDuringSignUps: w.steal, stealDuringArgon2: a.steal, cpuShare });
      const main = w.threads.mainNs / 1e6 / Math.max(1, w.completed);
      const other = w.threads.otherNs / 1e6 / Math.max(1, w.completed);
      log(
        `round ${index + 1}: ${round(perSecond, 1)} sign-ups/s (${concurrency} in flight, ${w.failed} failed; server CPU ${round(w.serverCpuMs / Math.max(1, w.completed), 1)} ms per sign-up: JavaScript thread ${round(main, 1)}, other threads ${round(other, 1)}; load generator and SMTP sink ${round(w.loadCpuMs / Math.max(1, w.completed), 1)} ms; steal ${round(w.steal * 100)}%) vs bare argon2id ${round(a.perSecond, 1)}/s (${round(a.cpuMsPerHash, 1)} ms CPU per hash; steal ${round(a.steal * 100)}%): ${round((perSecond / a.perSecond) * 100)}%; CPU-time share ${round(cpuShare * 100)}%`,
      );
    }
    const completed = windows.reduce((t, w) => t + w.completed, 0);
    const failed = windows.reduce((t, w) => t + w.failed, 0);
    const failures = windows.flatMap((w) => w.failures).slice(0, 5);
    const perSignUp = (total: number) => (completed > 0 ? total / completed : Number.NaN);
    const serverThreadCpu = {
      mainMs: perSignUp(windows.reduce((t, w) => t + w.threads.mainNs, 0) / 1e6),
      otherMs: perSignUp(windows.reduce((t, w) => t + w.threads.otherNs, 0) / 1e6),
    };
    const loadedSteps = summarize(loaded);
    const share = median(rounds.map((r) => r.share));
    const cpuShare = median(rounds.map((r) => r.cpuShare));
    const signUpsPerSecond = median(rounds.map((r) => r.signUpsPerSecond));
    const argon2 = median(rounds.map((r) => r.argon2HashesPerSecond));
    const argon2CpuMsPerHash = argon2CpuMsSum / roundCount;
    log(`median of ${roundCount} rounds: ${round(signUpsPerSecond, 1)} sign-ups/s, bare argon2id (${OWASP_ARGON2ID.memoryCost} KiB, t=${OWASP_ARGON2ID.timeCost}, p=${OWASP_ARGON2ID.parallelism}, ${hashCap} at once) ${round(argon2, 1)}/s; share ${round(share * 100)}% (CPU-time share ${round(cpuShare * 100)}%)`);
    return {
      region: 'US',
      concurrency,
      hashCap,
      durationS,
      rounds,
      completed,
      failed,
      failures,
      signUpsPerSecond,
      serverCpuMsPerSignUp: perSignUp(windows.reduce((t, w) => t + w.serverCpuMs, 0)),
      ...(options.dbCpu ? { dbCpuMsPerSignUp: perSignUp(windows.reduce((t, w) => t + (w.dbCpuMs ?? 0), 0)) } : {}),
      serverThreadCpuMsPerSignUp: serverThreadCpu,
      loadGeneratorCpuMsPerSignUp: perSignUp(windows.reduce((t, w) => t + w.loadCpuMs, 0)),
      argon2CpuMsPerHash,
      argon2HashesPerSecond: argon2,
      shareOfArgon2: share,
      cpuShareOfArgon2: cpuShare,
      warmUp: warm,
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
      name: `complete sign-ups (${r.region}: create + 3 submissions, SMTP to a local sink), ${r.concurrency} in flight, median of ${r.rounds.length} rounds (${Math.round(r.shareOfArgon2 * 100)}% of S2: median of the rounds' shares, ${r.rounds.map((x) => `${Math.round(x.share * 100)}%`).join(' / ')})`,
      rps: r.signUpsPerSecond,
      cpuMsPerRequest: r.serverCpuMsPerSignUp,
      bad: r.failed,
      goal: `≥ ${SIGNUP_GOALS.minShareOfArgon2 * 100}% of S2`,
      pass: r.passShare,
    },
    {
      id: 'S1b',
      name: `CPU-time share: bare hash CPU ÷ (server + load generator) CPU per sign-up, median (${r.rounds.map((x) => `${Math.round(x.cpuShare * 100)}%`).join(' / ')}; steal during sign-ups ${r.rounds.map((x) => `${Math.round(x.stealDuringSignUps * 100)}%`).join(' / ')}); after ${r.warmUp.signUps} warm-up sign-ups (informative)`,
      value: `${Math.round(r.cpuShareOfArgon2 * 100)}%`,
    },
    { id: 'S2', name: `bare argon2id hash (same parameters), ${r.hashCap} at once (${r.hashCap} threads, ${2 * r.hashCap} in flight, a process of its own), right after each round's sign-ups (median)`, rps: r.argon2HashesPerSecond, bad: 0, cpuMsPerRequest: r.argon2CpuMsPerHash },
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
  const { values } = parseArgs({
    options: { duration: { type: 'string' }, warmup: { type: 'string' }, 'warmup-signups': { type: 'string' }, concurrency: { type: 'string' }, samples: { type: 'string' }, rounds: { type: 'string' }, dist: { type: 'string' } },
  });
  runSignUpBench({
    durationS: values.duration ? Number(values.duration) : undefined,
    warmupS: values.warmup ? Number(values.warmup) : undefined,
    warmupSignUps: values['warmup-signups'] ? Number(values['warmup-signups']) : undefined,
    concurrency: values.concurrency ? Number(values.concurrency) : undefined,
    latencySamples: values.samples ? Number(values.samples) : undefined,
    rounds: values.rounds ? Number(values.rounds) : undefined,
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
