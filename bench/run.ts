/**
 * `npm run bench`: throughput and latency of the production build on loopback, against two
 * references (a trivial Next.js route; a bare oidc-provider), with goals marked PASS/FAIL.
 * Not a test: the exit code is 0 whenever the benchmark ran, whatever the numbers; 1 only when it
 * cannot run (no build, server does not start). See docs/performance.md.
 *
 *   flock /tmp/meridian-build.lock env NEXT_DIST_DIR=.next-bench npx next build
 *   npm run bench [-- --duration 10 --warmup 3 --connections 20 --no-profile]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { AutocannonRequest } from 'autocannon';
import { serverNodeFlags, startServer, type RunningServer } from '../tests/support/server-process';
import { defaultHashConcurrency } from '../lib/config/env';
import { probeDatabase } from './lib/db-probe';
import { benchArgon2Verify, OWASP_ARGON2ID, phcParams, type Argon2Result } from './lib/argon2-bare';
import { InteractionPool, prepareInteractions } from './lib/interactions';
import { runLoad, type LoadResult } from './lib/load';
import { loadAverage, machineInfo } from './lib/machine';
import type { PacedResult } from './lib/paced-load';
import { runPacedLoadInChild } from './paced-load-process';
import { analyzeProfile, profileToMarkdown } from './lib/profile-analysis';
import { descendantsOf, findListeningPid, readCpuMs, readRssMiB } from './lib/proc';
import { machineToMarkdown, rowsToMarkdown, type Row } from './lib/report';
import { round, sleep } from './lib/stats';
import { profileServer } from './lib/server-profile';
import { SCENARIOS, runScenarios, type Scenario } from './scenarios';

const ROOT = resolve(__dirname, '..');
const RESULTS_DIR = join(ROOT, 'bench/results');
const PROFILE_DIR = join(RESULTS_DIR, 'profiles');

const CLIENT_ID = 'demo-service';
const CLIENT_SECRET = 'demo-service-secret-0123456789';
const ACCOUNT_EMAIL = 'bench@example.com';
const ACCOUNT_PASSWORD = 'bench-correct-horse-battery-staple';

/** The goals, as data: each names the rows it reads. */
const GOALS = {
  clientCredentialsMinRps: 240,
  clientCredentialsMinShareOfHealth: 0.6,
  staticMinShareOfHealth: 0.8,
  signInMinShareOfArgon2: 0.5,
  tokenHalfPeakMaxP99Ms: 50,
  idleRssMaxMiB: 250,
};

const USAGE = `Usage: npm run bench [-- options]
  --duration S              seconds measured per run (default 10)
  --warmup S                seconds of warm-up before each run (default 3)
  --connections N           connections for the throughput runs (default 20)
  --signin-connections N    connections for the sign-in run (default: the hash cap, PASSWORD_HASH_CONCURRENCY or one per core)
  --overload-connections N  connections for the over-the-cap sign-in run (default 32)
  --profile-seconds S       seconds of CPU profiling of the token endpoint and /api/health (default 5)
  --no-profile              skip the CPU profiles
  --wait-quiet S            first wait up to S seconds for the 1-minute load average to drop below half the cores
  --server-env K=V          extra environment for the server (repeatable), e.g. PASSWORD_HASH_CONCURRENCY=2
  --dist DIR                Next.js build folder (default $NEXT_DIST_DIR or .next-bench)
  --scenarios LIST          later issues' scenarios after the foundation rows, comma-separated
                            (default resource-server,token-exchange,signup,dpop; "none" skips them)`;

type Options = {
  durationS: number;
  warmupS: number;
  connections: number;
  signInConnections: number;
  overloadConnections: number;
  profileS: number;
  profile: boolean;
  dist: string;
  waitQuietS: number;
  serverEnv: Record<string, string>;
  scenarios: Scenario[];
};

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'signin-connections': { type: 'string' },
      'overload-connections': { type: 'string' },
      'profile-seconds': { type: 'string' },
      'no-profile': { type: 'boolean' },
      dist: { type: 'string' },
      'wait-quiet': { type: 'string' },
      'server-env': { type: 'string', multiple: true },
      scenarios: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const positive = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) {
      console.error(`--${name} must be a positive number (got "${raw}")\n\n${USAGE}`);
      process.exit(1);
    }
    return n;
  };
  const serverEnv: Record<string, string> = {};
  for (const pair of values['server-env'] ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      console.error(`--server-env wants KEY=VALUE (got "${pair}")\n\n${USAGE}`);
      process.exit(1);
    }
    serverEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const cap = hashCap(serverEnv);
  const scenarios = (values.scenarios ?? SCENARIOS.join(',')).split(',').map((s) => s.trim()).filter((s) => s && s !== 'none');
  const unknown = scenarios.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length) {
    console.error(`--scenarios: unknown ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')}, none)\n\n${USAGE}`);
    process.exit(1);
  }
  return {
    durationS: positive('duration', values.duration, 10),
    warmupS: positive('warmup', values.warmup, 3),
    connections: Math.round(positive('connections', values.connections, 20)),
    signInConnections: Math.round(positive('signin-connections', values['signin-connections'], cap)),
    overloadConnections: Math.round(positive('overload-connections', values['overload-connections'], 32)),
    profileS: positive('profile-seconds', values['profile-seconds'], 5),
    profile: !values['no-profile'],
    dist: values.dist ?? process.env.NEXT_DIST_DIR ?? '.next-bench',
    waitQuietS: values['wait-quiet'] === undefined ? 0 : positive('wait-quiet', values['wait-quiet'], 0),
    serverEnv,
    scenarios: scenarios as Scenario[],
  };
}

/** The server's cap on concurrent argon2id computations (lib/config/env.ts: PASSWORD_HASH_CONCURRENCY, default one per core). */
function hashCap(serverEnv: Record<string, string>): number {
  const raw = Number(serverEnv.PASSWORD_HASH_CONCURRENCY ?? process.env.PASSWORD_HASH_CONCURRENCY);
  return Number.isInteger(raw) && raw > 0 ? raw : defaultHashConcurrency();
}

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function describeLoad(label: string, r: LoadResult): void {
  log(
    `${label}: ${round(r.rps)} req/s, p50 ${round(r.p50Ms, 2)} ms, p99 ${round(r.p99Ms, 2)} ms, statuses ${JSON.stringify(r.statuses)}` +
      (r.serverCpuMsPerRequest !== undefined ? `, server CPU ${round(r.serverCpuMsPerRequest, 2)} ms/req` : '') +
      `, load generator CPU ${round(r.clientCpuPercent)}% of a core`,
  );
}

function basicAuth(): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64')}`;
}

function tokenRequest(resource: string) {
  return {
    method: 'POST',
    path: '/oidc/token',
    headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'items:read' }).toString(),
  };
}

/** One token request, decoded: checks that both servers mint the same kind of token. */
async function sampleToken(baseUrl: string, resource: string): Promise<{ alg: string; kid: string; typ: string; ttl: number; aud: unknown; scope: unknown }> {
  const req = tokenRequest(resource);
  const res = await fetch(`${baseUrl}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
  const json = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
  if (res.status !== 200 || !json.access_token) throw new Error(`token request to ${baseUrl} answered ${res.status}: ${JSON.stringify(json)}`);
  const [h, p] = json.access_token.split('.');
  const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString()) as { alg: string; kid: string; typ: string };
  const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as { iat: number; exp: number; aud: unknown; scope: unknown };
  return { alg: header.alg, kid: header.kid, typ: header.typ, ttl: payload.exp - payload.iat, aud: payload.aud, scope: payload.scope };
}

async function warmUp(url: string, resource: string): Promise<void> {
  const token = tokenRequest(resource);
  for (let i = 0; i < 100; i += 1) {
    await Promise.all([
      fetch(`${url}/api/health`).then((r) => r.arrayBuffer()),
      fetch(`${url}/oidc/.well-known/openid-configuration`).then((r) => r.arrayBuffer()),
      fetch(`${url}/oidc/jwks`).then((r) => r.arrayBuffer()),
      fetch(`${url}${token.path}`, { method: 'POST', headers: token.headers, body: token.body }).then((r) => r.arrayBuffer()),
    ]);
  }
  // Renders the sign-in page and runs a few full sign-ins, so every route on the bench's path is loaded.
  for (const it of await prepareInteractions(url, 3, 1)) {
    await fetch(`${url}/interaction/${it.uid}`, { headers: { cookie: it.cookie } }).then((r) => r.arrayBuffer());
    await fetch(`${url}/interaction/${it.uid}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: it.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: signInBody(),
    }).then((r) => r.arrayBuffer());
  }
}

function signInBody(): string {
  return new URLSearchParams({ email: ACCOUNT_EMAIL, password: ACCOUNT_PASSWORD }).toString();
}

type SignInCheck = { resumed: number; failed: number; failedSamples: string[] };

/** autocannon request whose every instance takes its own interaction from the pool. */
function signInRequests(pool: InteractionPool, check: SignInCheck): AutocannonRequest[] {
  const body = signInBody();
  return [
    {
      method: 'POST',
      setupRequest(req) {
        const it = pool.next();
        return {
          ...req,
          method: 'POST',
          path: `/interaction/${it.uid}/login`,
          headers: { cookie: it.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body,
        };
      },
      onResponse(status, _body, _context, headers) {
        if (status !== 303) return;
        const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === 'location')?.[1];
        const location = Array.isArray(entry) ? (entry[0] ?? '') : (entry ?? '');
        // Success resumes the authorization request; a failure redirects back with ?error=.
        if (location.includes('/oidc/auth/')) check.resumed += 1;
        else {
          check.failed += 1;
          if (check.failedSamples.length < 3) check.failedSamples.push(location);
        }
      },
    },
  ];
}

async function startReference(server: RunningServer, resource: string): Promise<{ child: ChildProcess; url: string; pid: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...server.env, NODE_ENV: 'production', BENCH_RESOURCE: resource };
  delete env.NODE_OPTIONS;
  delete env.BENCH_PROFILE_DIR;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/reference-provider.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const ready = await new Promise<{ port: number; pid: number }>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`reference provider did not start:\n${output}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolveReady(JSON.parse(line) as { port: number; pid: number });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`reference provider exited with ${code}:\n${output}`));
    });
  });
  return { child, url: `http://localhost:${ready.port}`, pid: ready.pid };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * Waits until the server is idle (under 5% of a core over 500 ms, at most 30 s): requests that
 * a finished run left in flight (autocannon closes its sockets, the server still completes them)
 * must not eat into the next run.
 */
async function settle(pid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const before = readCpuMs(pid);
    await sleep(500);
    if (readCpuMs(pid) - before < 25) return;
  }
  log('WARNING: the server did not become idle within 30 s');
}


type MemoryUsage = { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number; heapUsedAfterGc: number; rssAfterGc: number };

/** The server's process.memoryUsage() (bench/server-preload.mjs answers SIGWINCH), or undefined. */
async function serverMemory(pid: number): Promise<MemoryUsage | undefined> {
  const file = join(PROFILE_DIR, 'memory.json');
  rmSync(file, { force: true });
  process.kill(pid, 'SIGWINCH');
  for (let i = 0; i < 50 && !existsSync(file); i += 1) await sleep(100);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as MemoryUsage) : undefined;
}

function describeMemory(m: MemoryUsage | undefined): string {
  if (!m) return 'no breakdown';
  const mib = (b: number) => `${round(b / 2 ** 20)} MiB`;
  return `V8 heap ${mib(m.heapTotal)} (${mib(m.heapUsed)} used, ${mib(m.heapUsedAfterGc)} live after a forced full GC), external ${mib(m.external)} (array buffers ${mib(m.arrayBuffers)}), rest of RSS (code, native libraries, Prisma's WASM, malloc arenas) ${mib(m.rss - m.heapTotal - m.external)}; RSS right after that GC ${mib(m.rssAfterGc)}`;
}

async function storedHashParams(databaseUrl: string): Promise<string | undefined> {
  const { createDb } = await import('../lib/infra/db/client');
  const db = createDb(databaseUrl);
  try {
    const account = await db.account.findUnique({ where: { email: ACCOUNT_EMAIL } });
    return account?.passwordHash ? phcParams(account.passwordHash) : undefined;
  } finally {
    await db.$disconnect();
  }
}

async function main(): Promise<void> {
  process.chdir(ROOT);
  const options = parseOptions();
  process.env.NEXT_DIST_DIR = options.dist;
  if (!existsSync(join(ROOT, options.dist, 'BUILD_ID'))) {
    console.error(
      `No production build in ${options.dist}/ (no BUILD_ID). Build one first:\n\n` +
        `  flock /tmp/meridian-build.lock env NEXT_DIST_DIR=${options.dist} npx next build\n\n` +
        `(or pass --dist <folder> / NEXT_DIST_DIR for an existing build)`,
    );
    process.exit(1);
  }
  mkdirSync(PROFILE_DIR, { recursive: true });
  const cores = cpus().length;
  const load1 = () => Number(loadAverage().split(' ')[0]);
  if (options.waitQuietS > 0) {
    const deadline = Date.now() + options.waitQuietS * 1000;
    while (load1() >= cores / 2 && Date.now() < deadline) {
      log(`waiting for a quiet machine (load ${loadAverage()}, ${cores} cores) …`);
      await sleep(15_000);
    }
  }
  const machine = machineInfo();
  const busyMachine = load1() >= cores / 2;
  if (busyMachine) log(`WARNING: load average ${machine.loadAverage} on ${cores} cores: other work competes with the server and the load generator; numbers will be low and noisy`);
  const cap = hashCap(options.serverEnv);
  const run = { durationS: options.durationS, warmupS: options.warmupS };
  log(`machine: ${machine.cpuModel} × ${machine.cores}, node ${machine.node}, load ${machine.loadAverage}; build ${options.dist}`);
  log(`options: ${JSON.stringify(options)}`);

  const preload = pathToFileURL(join(ROOT, 'bench/server-preload.mjs')).href;
  const server = await startServer({
    env: {
      ...options.serverEnv,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, options.serverEnv.NODE_OPTIONS, `--import ${preload}`].filter(Boolean).join(' '),
      BENCH_PROFILE_DIR: PROFILE_DIR,
    },
  });
  let reference: { child: ChildProcess } | undefined;
  try {
    const { url } = server;
    const resource = `${url}/api/demo`;
    const pid = findListeningPid(server.port);
    const children = descendantsOf(pid);
    log(`server ${url}, pid ${pid}${children.length ? `, children ${children.join(',')}` : ', no child processes'}, database ${server.env.DATABASE_URL}`);

    await server.cli(['accounts', 'create', '--email', ACCOUNT_EMAIL, '--password', ACCOUNT_PASSWORD, '--region', 'JP']);
    const ourToken = await sampleToken(url, resource);
    log(`token sample: ${JSON.stringify(ourToken)}`);

    log('warm-up: every endpoint, then 5 s idle');
    await warmUp(url, resource);
    await sleep(5000);
    const rssIdle = readRssMiB(pid);
    const memIdle = await serverMemory(pid);
    log(`idle RSS after warm-up: ${round(rssIdle)} MiB: ${describeMemory(memIdle)}`);

    const loads: Record<string, LoadResult> = {};
    type MeasureOptions = Omit<Parameters<typeof runLoad>[0], 'url' | 'connections' | 'durationS' | 'warmupS' | 'serverPid'> & {
      connections?: number;
      warmupS?: number;
      target?: { url: string; pid: number };
    };
    const measure = async (key: string, label: string, opts: MeasureOptions) => {
      await settle(opts.target?.pid ?? pid);
      log(`${label} …`);
      const { target, connections, ...rest } = opts;
      const r = await runLoad({ url: target?.url ?? url, connections: connections ?? options.connections, ...run, serverPid: target?.pid ?? pid, ...rest });
      describeLoad(label, r);
      loads[key] = r;
      return r;
    };

    // 1, 3, 4: the framework's ceiling, then our endpoints.
    // References are measured twice (before and after what is compared with them) and the better
    // run counts: on a shared machine that makes each goal stricter, never easier.
    const healthFirst = await measure('health', 'A: GET /api/health', { path: '/api/health' });
    const discovery = await measure('discovery', 'GET /oidc/.well-known/openid-configuration', { path: '/oidc/.well-known/openid-configuration' });
    const jwks = await measure('jwks', 'GET /oidc/jwks', { path: '/oidc/jwks' });
    const token = await measure('token', 'POST /oidc/token client_credentials', tokenRequest(resource));
    const healthSecond = await measure('healthAgain', 'A again: GET /api/health', { path: '/api/health' });
    const health = healthSecond.rps > healthFirst.rps ? healthSecond : healthFirst;

    // 7: p99 at half the measured peak, open loop (primary) and autocannon overallRate (bursty).
    const halfRate = Math.max(1, Math.round(token.rps / 2));
    log(`token at half peak: ${halfRate} req/s, paced …`);
    // In a process of its own: the bench's event loop and GC would otherwise add their pauses.
    const paced: PacedResult = await runPacedLoadInChild({ url, ...tokenRequest(resource), rps: halfRate, durationS: options.durationS, warmupS: options.warmupS });
    log(`token at half peak (paced): ${round(paced.achievedRps)} req/s, p50 ${round(paced.p50Ms, 2)} ms, p99 ${round(paced.p99Ms, 2)} ms, max ${round(paced.maxMs, 1)} ms, ${JSON.stringify(paced.statuses)}`);
    const halfAutocannon = await measure('tokenHalfAutocannon', `token at half peak, autocannon overallRate ${halfRate}`, {
      ...tokenRequest(resource),
      overallRate: halfRate,
      connections: Math.min(10, halfRate),
    });

    // 2: reference B, a bare oidc-provider with the same keys and client.
    log('B: bare oidc-provider (child process) …');
    const ref = await startReference(server, resource);
    reference = ref;
    const refToken = await sampleToken(ref.url, resource);
    log(`reference token sample: ${JSON.stringify(refToken)}`);
    const sameToken = refToken.alg === ourToken.alg && refToken.kid === ourToken.kid && refToken.ttl === ourToken.ttl && refToken.typ === ourToken.typ;
    if (!sameToken) log('WARNING: the reference mints a different token (alg/kid/ttl/typ): compare with care');
    const refB = await measure('referenceB', 'B: bare oidc-provider POST /oidc/token', { ...tokenRequest(resource), target: { url: ref.url, pid: ref.pid } });
    await stopChild(ref.child);
    reference = undefined;

    // 6: bare argon2id at the sign-in run's concurrency, in this process, server idle (again after
    // the sign-in run; the better one counts).
    const bareArgon2 = async () => {
      await settle(pid);
      log(`bare argon2id verify, concurrency ${options.signInConnections} …`);
      const r = await benchArgon2Verify({ concurrency: options.signInConnections, ...run, password: ACCOUNT_PASSWORD });
      log(`bare argon2id: ${round(r.perSecond, 1)} verifications/s, p50 ${round(r.p50Ms, 1)} ms, p99 ${round(r.p99Ms, 1)} ms (threadpool ${r.threadpool})`);
      return r;
    };
    const argon2First: Argon2Result = await bareArgon2();
    const storedParams = await storedHashParams(server.env.DATABASE_URL!);
    const benchParams = `m=${OWASP_ARGON2ID.memoryCost},t=${OWASP_ARGON2ID.timeCost},p=${OWASP_ARGON2ID.parallelism}`;
    log(`argon2id parameters: bench ${benchParams}, stored by the server ${storedParams ?? '(not found)'}`);

    // 5: password sign-ins, each POST on its own interaction.
    const poolSize = (seconds: number) => Math.ceil(argon2First.perSecond * seconds * 1.5) + 50;
    const preparedPool = async (seconds: number) => {
      await settle(pid);
      const count = poolSize(seconds);
      log(`preparing ${count} interactions (GET /oidc/auth, 8 concurrent) …`);
      const t = performance.now();
      const cpu = readCpuMs(pid);
      const items = await prepareInteractions(url, count);
      const stats = { count, perSecond: count / ((performance.now() - t) / 1000), cpuMsPerRequest: (readCpuMs(pid) - cpu) / count };
      log(`prepared ${count} interactions: ${round(stats.perSecond)}/s, server CPU ${round(stats.cpuMsPerRequest, 2)} ms/req`);
      return { pool: new InteractionPool(items), stats };
    };
    const { pool, stats: prep } = await preparedPool(options.durationS + options.warmupS);
    const signInCheck: SignInCheck = { resumed: 0, failed: 0, failedSamples: [] };
    const signIn = await measure('signIn', `POST /interaction/<uid>/login, ${options.signInConnections} connections`, {
      connections: options.signInConnections,
      requests: signInRequests(pool, signInCheck),
    });
    log(`sign-in: ${signInCheck.resumed} resumed the authorization, ${signInCheck.failed} redirected to an error ${JSON.stringify(signInCheck.failedSamples)}; pool ${pool.handedOut} handed out, ${pool.reused} reused`);
    const argon2Second = await bareArgon2();
    const argon2 = argon2Second.perSecond > argon2First.perSecond ? argon2Second : argon2First;

    // 6b: over the cap: fast 503s, no growing queue.
    // No autocannon warm-up here (the server is warm): a warm-up's in-flight requests would still
    // hold hash slots when the measured phase starts.
    const { pool: overloadPool } = await preparedPool(options.durationS);
    const overloadCheck: SignInCheck = { resumed: 0, failed: 0, failedSamples: [] };
    const overload = await measure('signInOverload', `sign-in over the cap, ${options.overloadConnections} connections`, {
      connections: options.overloadConnections,
      warmupS: 0,
      requests: signInRequests(overloadPool, overloadCheck),
    });
    log(`overload: ${overloadCheck.resumed} resumed, ${overloadCheck.failed} error redirects; pool ${overloadPool.handedOut} handed out, ${overloadPool.reused} reused`);

    // 8: memory after all of the above and a few idle seconds, then after a longer idle spell
    // (V8 shrinks a grown heap only after some idle time).
    await settle(pid);
    const idleSince = Date.now();
    await sleep(5000);
    const rssAfterLoad = readRssMiB(pid);
    const memAfterLoad = await serverMemory(pid);
    log(`idle RSS after the load runs: ${round(rssAfterLoad)} MiB: ${describeMemory(memAfterLoad)}`);

    // The data layer's per-statement cost, in this process (explains the sign-in's CPU).
    const dbProbe = await probeDatabase(server.env.DATABASE_URL!, ACCOUNT_EMAIL);
    for (const q of dbProbe) log(`db probe: ${q.label}: ${round(q.cpuMsPerQuery, 3)} ms CPU, ${round(q.wallMsPerQuery, 3)} ms wall per query`);
    await sleep(Math.max(0, idleSince + 30_000 - Date.now()));
    const rssAfterLongIdle = readRssMiB(pid);
    log(`idle RSS 30 s after the load runs: ${round(rssAfterLongIdle)} MiB`);

    // Where the time goes: CPU profiles of the token endpoint and of the trivial route.
    const profileSections: string[] = [];
    if (options.profile) {
      const { pool: profilePool } = await preparedPool(options.profileS);
      const profileCheck: SignInCheck = { resumed: 0, failed: 0, failedSamples: [] };
      const profiles: [string, string, Partial<Parameters<typeof runLoad>[0]>][] = [
        ['token', 'POST /oidc/token (client_credentials)', tokenRequest(resource)],
        ['health', 'GET /api/health (reference A)', { method: 'GET', path: '/api/health' }],
        ['signin', `POST /interaction/<uid>/login (${options.signInConnections} connections)`, { connections: options.signInConnections, requests: signInRequests(profilePool, profileCheck) }],
      ];
      for (const [name, title, req] of profiles) {
        await settle(pid);
        log(`profiling ${title} for ${options.profileS} s …`);
        const { result, file } = await profileServer(PROFILE_DIR, pid, name, () =>
          runLoad({ url, connections: options.connections, durationS: options.profileS, warmupS: 0, serverPid: pid, ...req }),
        );
        describeLoad(`${title} (profiled)`, result);
        profileSections.push(profileToMarkdown(`${title}: ${round(result.rps)} req/s while profiled`, analyzeProfile(file, ROOT), result.total));
      }
      writeFileSync(join(RESULTS_DIR, 'profile.md'), `# CPU profiles (${machine.date})\n\n${profileSections.join('\n')}`);
    }

    // Table and goals.
    const signInBad = signIn.bad + signInCheck.failed;
    const overload503 = overload.statuses['503'] ?? 0;
    const o303 = overload.latencyByStatus['303'];
    const o503 = overload.latencyByStatus['503'];
    const share = (a: number, b: number) => `${Math.round((a / b) * 100)}%`;
    const rows: Row[] = [
      { id: '1', name: `A: \`GET /api/health\` (trivial route, framework ceiling; better of ${round(healthFirst.rps, 0)} and ${round(healthSecond.rps, 0)}/s)`, rps: health.rps, p50Ms: health.p50Ms, p99Ms: health.p99Ms, bad: health.bad, cpuMsPerRequest: health.serverCpuMsPerRequest },
      { id: '2', name: 'B: bare oidc-provider `POST /token` client_credentials (library ceiling)', rps: refB.rps, p50Ms: refB.p50Ms, p99Ms: refB.p99Ms, bad: refB.bad, cpuMsPerRequest: refB.serverCpuMsPerRequest },
      {
        id: '3',
        name: `\`POST /oidc/token\` client_credentials (${share(token.rps, health.rps)} of A, ${share(token.rps, refB.rps)} of B)`,
        rps: token.rps,
        p50Ms: token.p50Ms,
        p99Ms: token.p99Ms,
        bad: token.bad,
        cpuMsPerRequest: token.serverCpuMsPerRequest,
        goal: `≥ ${GOALS.clientCredentialsMinRps}/s and ≥ ${GOALS.clientCredentialsMinShareOfHealth * 100}% of A`,
        pass: token.bad === 0 && token.rps >= GOALS.clientCredentialsMinRps && token.rps >= GOALS.clientCredentialsMinShareOfHealth * health.rps,
      },
      {
        id: '4a',
        name: `\`GET /oidc/.well-known/openid-configuration\` (${share(discovery.rps, health.rps)} of A)`,
        rps: discovery.rps,
        p50Ms: discovery.p50Ms,
        p99Ms: discovery.p99Ms,
        bad: discovery.bad,
        cpuMsPerRequest: discovery.serverCpuMsPerRequest,
        goal: `≥ ${GOALS.staticMinShareOfHealth * 100}% of A`,
        pass: discovery.bad === 0 && discovery.rps >= GOALS.staticMinShareOfHealth * health.rps,
      },
      {
        id: '4b',
        name: `\`GET /oidc/jwks\` (${share(jwks.rps, health.rps)} of A)`,
        rps: jwks.rps,
        p50Ms: jwks.p50Ms,
        p99Ms: jwks.p99Ms,
        bad: jwks.bad,
        cpuMsPerRequest: jwks.serverCpuMsPerRequest,
        goal: `≥ ${GOALS.staticMinShareOfHealth * 100}% of A`,
        pass: jwks.bad === 0 && jwks.rps >= GOALS.staticMinShareOfHealth * health.rps,
      },
      {
        id: '5',
        name: `password sign-in \`POST /interaction/<uid>/login\` → 303, ${options.signInConnections} conn. (${share(signIn.rps, argon2.perSecond)} of row 6)`,
        rps: signIn.rps,
        p50Ms: signIn.p50Ms,
        p99Ms: signIn.p99Ms,
        bad: signInBad,
        cpuMsPerRequest: signIn.serverCpuMsPerRequest,
        goal: `≥ ${GOALS.signInMinShareOfArgon2 * 100}% of row 6`,
        pass: signInBad === 0 && signIn.rps >= GOALS.signInMinShareOfArgon2 * argon2.perSecond,
      },
      {
        id: '5b',
        name: `sign-in over the cap (${cap} hashing), ${options.overloadConnections} conn.: 303 ${o303?.count ?? 0} (p99 ${round(o303?.p99Ms ?? Number.NaN, 0)} ms), 503 ${overload503} (p50 ${round(o503?.p50Ms ?? Number.NaN, 1)} / p99 ${round(o503?.p99Ms ?? Number.NaN, 1)} ms)`,
        rps: overload.rps,
        p50Ms: overload.p50Ms,
        p99Ms: overload.p99Ms,
        bad: `${overload.bad} (503: ${overload503})`,
        cpuMsPerRequest: overload.serverCpuMsPerRequest,
        goal: 'excess answered 503, faster than accepted ones (503 p99 < 303 p50); no errors',
        pass: overload503 > 0 && (o503?.p99Ms ?? Infinity) < (o303?.p50Ms ?? 0) && overload.bad === overload503 && overloadCheck.failed === 0,
      },
      { id: '5c', name: '`GET /oidc/auth` → 303 to the sign-in page (preparing the interactions, 8 concurrent; informative)', rps: prep.perSecond, cpuMsPerRequest: prep.cpuMsPerRequest },
      { id: '6', name: `bare argon2id verify (${benchParams}), concurrency ${options.signInConnections}, in-process (better of ${round(argon2First.perSecond, 1)} and ${round(argon2Second.perSecond, 1)}/s)`, rps: argon2.perSecond, p50Ms: argon2.p50Ms, p99Ms: argon2.p99Ms, bad: 0 },
      {
        id: '7',
        name: `\`POST /oidc/token\` at half peak, ${halfRate}/s open-loop (paced, generator in its own process)`,
        rps: paced.achievedRps,
        p50Ms: paced.p50Ms,
        p99Ms: paced.p99Ms,
        bad: paced.bad,
        goal: `p99 < ${GOALS.tokenHalfPeakMaxP99Ms} ms`,
        pass: paced.bad === 0 && paced.p99Ms < GOALS.tokenHalfPeakMaxP99Ms,
      },
      {
        id: '7b',
        name: `same, autocannon \`overallRate\` ${halfRate}/s (per-second bursts; informative)`,
        rps: halfAutocannon.rps,
        p50Ms: halfAutocannon.p50Ms,
        p99Ms: halfAutocannon.p99Ms,
        bad: halfAutocannon.bad,
        cpuMsPerRequest: halfAutocannon.serverCpuMsPerRequest,
      },
      { id: '8', name: 'idle server RSS after warm-up + 5 s idle', value: `${round(rssIdle)} MiB`, goal: `< ${GOALS.idleRssMaxMiB} MiB`, pass: rssIdle < GOALS.idleRssMaxMiB },
      { id: '8b', name: 'idle server RSS after all load runs + 5 s idle', value: `${round(rssAfterLoad)} MiB`, goal: `< ${GOALS.idleRssMaxMiB} MiB`, pass: rssAfterLoad < GOALS.idleRssMaxMiB },
      { id: '8c', name: 'idle server RSS after all load runs + 30 s idle', value: `${round(rssAfterLongIdle)} MiB`, goal: `< ${GOALS.idleRssMaxMiB} MiB`, pass: rssAfterLongIdle < GOALS.idleRssMaxMiB },
    ];
    const table = rowsToMarkdown(rows);
    const details = [
      `- measured ${options.durationS} s per run after ${options.warmupS} s warm-up; ${options.connections} connections for rows 1–4; autocannon 8 on loopback, pipelining 1; latency percentiles over every response (all statuses).`,
      `- token: ${JSON.stringify(ourToken)}; reference B token: ${JSON.stringify(refToken)}${sameToken ? ' (same key, alg, typ and TTL)' : ' (DIFFERENT)'}.`,
      `- sign-in: every POST took its own fresh interaction (prepared with GET /oidc/auth for demo-web + PKCE, 8 concurrent: ${round(prep.perSecond)}/s, server CPU ${round(prep.cpuMsPerRequest, 2)} ms each); ${pool.reused} POSTs reused one after the pool ran out; ${signInCheck.resumed} of the 303s resumed the authorization (\`/oidc/auth/<uid>\`), ${signInCheck.failed} went to an error page.`,
      `- over the cap: the server hashes at most ${cap} passwords at once (PASSWORD_HASH_CONCURRENCY) with a bounded wait queue (2 × cap in lib/infra/crypto/password-hasher.ts); ${overloadPool.reused} POSTs reused an interaction; statuses ${JSON.stringify(overload.statuses)}; per status ${JSON.stringify(Object.fromEntries(Object.entries(overload.latencyByStatus).map(([s, l]) => [s, { count: l.count, p50Ms: round(l.p50Ms, 1), p99Ms: round(l.p99Ms, 1), maxMs: round(l.maxMs, 1) }])))}.`,
      `- argon2id parameters: bench ${benchParams}, stored by the server ${storedParams ?? '(not found)'}; bare verifications ran on this process's libuv pool (${argon2.threadpool} threads).`,
      `- server CPU ms/req: user+system CPU of the server process (/proc/<pid>/stat) during the run ÷ responses. The load generator used ${Object.entries(loads).map(([k, l]) => `${k} ${round(l.clientCpuPercent)}%`).join(', ')} of a core.`,
      `- memory (process.memoryUsage() in the server): after warm-up ${describeMemory(memIdle)}; after the load runs ${describeMemory(memAfterLoad)}.`,
      `- data layer, per statement, in the bench process against the bench database: ${dbProbe.map((q) => `${q.label} ${round(q.cpuMsPerQuery, 3)} ms CPU`).join('; ')}.`,
      ...(Object.keys(options.serverEnv).length ? [`- server started with extra environment ${JSON.stringify(options.serverEnv)}.`] : []),
      `- load average at the end: ${loadAverage()}${busyMachine ? ' — WARNING: the machine was busy with other work at the start of this run, so the numbers are low and noisy' : ''}.`,
    ].join('\n');
    const later = options.scenarios.length ? await runScenarios(options.scenarios, server, pid, { ...run, connections: options.connections, dist: options.dist }, log) : null;
    const machineBlock = machineToMarkdown(machine, { build: `${options.dist} (next build, NODE_ENV=production, \`${['node', ...serverNodeFlags(), 'server.mjs'].join(' ')}\`)`, database: 'SQLite, fresh file per run' });
    const markdown = `# Meridian ID benchmark — ${machine.date}\n\n${machineBlock}\n\n${table}\n\n${details}\n${later ? `\n${later.markdown}\n` : ''}${profileSections.length ? `\n## Where the time goes (CPU profiles)\n\n${profileSections.join('\n')}` : ''}`;
    writeFileSync(join(RESULTS_DIR, 'latest.md'), markdown);
    writeFileSync(
      join(RESULTS_DIR, 'latest.json'),
      JSON.stringify({ machine, options, scenarios: later?.results, rssIdle, rssAfterLoad, rssAfterLongIdle, memIdle, memAfterLoad, dbProbe, loads, paced, argon2First, argon2Second, ourToken, refToken, signInCheck, overloadCheck, rows }, null, 2),
    );
    console.log(`\n${table}\n\n${details}\n${later ? `\n${later.markdown}\n` : ''}`);
    log(`wrote bench/results/latest.md, latest.json${options.profile ? ', profile.md and profiles/*.cpuprofile' : ''}`);
  } finally {
    if (reference) await stopChild(reference.child);
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error('The benchmark could not run:', e);
  process.exit(1);
});
