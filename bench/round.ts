/**
 * One round of `npm run bench` against one build on one database, in a process of its own whose
 * working directory is the build's folder (so `server.mjs`, the Next.js build, `node_modules` and
 * the operator CLI are that build's; the bench's own code, the bare references and the load
 * generators are this checkout's). bench/run.ts starts it (`runRound`) once per round, build and
 * database, and reads the JSON it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AutocannonRequest } from 'autocannon';
import { createScratchPostgresDatabase } from '../tests/integration/_support/postgres';
import { startServer, type RunningServer } from '../tests/support/server-process';
import { defaultHashConcurrency } from '../lib/config/env';
import { runBareArgon2InChild, type BareArgon2Result } from './argon2-bare-process';
import { InteractionPool, prepareInteractions, type PreparedInteraction } from './lib/interactions';
import { runJsonChild, serveJsonChild } from './lib/json-child';
import { loadAverage } from './lib/machine';
import type { PacedResult } from './lib/paced-load';
import { findListeningPid, readPostgresBackendsCpu, readRssMiB, waitUntilIdle, type CpuReading } from './lib/proc';
import { analyzeProfile, profileToMarkdown } from './lib/profile-analysis';
import { runScriptedLoad } from './lib/scripted-load';
import { profileServer } from './lib/server-profile';
import { round, sleep } from './lib/stats';
import { runWrk, type LoadResult, type WrkOptions } from './lib/wrk-load';
import { runPacedLoadInChild } from './paced-load-process';
import { runSignUpBench, type SignUpBenchResult } from './signup';
import { runTokenExchangeScenario, type TokenExchangeScenarioResult } from './token-exchange';

const BENCH_ROOT = resolve(__dirname, '..');
const RESULTS_DIR = join(BENCH_ROOT, 'bench/results');
const PROFILE_DIR = join(RESULTS_DIR, 'profiles');

const CLIENT_ID = 'demo-service';
const CLIENT_SECRET = 'demo-service-secret-0123456789';
const ACCOUNT_EMAIL = 'bench@example.com';
const ACCOUNT_PASSWORD = 'bench-correct-horse-battery-staple';

export type Database = 'sqlite' | 'postgres';

export type RoundOptions = {
  label: string;
  database: Database;
  /** Server URL of a PostgreSQL cluster on this machine: each round gets a scratch database on it. */
  postgresUrl?: string;
  dist: string;
  durationS: number;
  warmupS: number;
  connections: number;
  signInConnections: number;
  overloadConnections: number;
  /** Idle seconds after the load before reading both servers' RSS (0: not read). */
  idleS: number;
  /** Seconds of CPU profile per profiled request (0: none). */
  profileS: number;
  tokenExchange: boolean;
  signUp: boolean;
  /** Complete sign-ups before the sign-up window is measured. */
  signUpWarmups: number;
  serverEnv: Record<string, string>;
};

export type TokenSample = { alg: string; kid: string; typ: string; ttl: number };

export type RoundResult = {
  label: string;
  database: Database;
  build: string;
  hashCap: number;
  loadAverage: string;
  tokenSample: TokenSample;
  referenceTokenSample: TokenSample;
  loads: Record<'health' | 'discovery' | 'jwks' | 'token' | 'reference' | 'signIn' | 'overload', LoadResult>;
  argon2: BareArgon2Result;
  paced: PacedResult;
  signIn: { resumed: number; failed: number; reused: number; poolSize: number };
  overloadCheck: SignInCheck;
  rss: { idleAfterWarmUp: number; afterLoad?: number; referenceAfterLoad?: number };
  tokenExchange?: Pick<TokenExchangeScenarioResult, 'clientCredentials' | 'tokenExchange' | 'conversions' | 'conversionLatency' | 'costRatio'>;
  signUp?: SignUpBenchResult;
};

function log(message: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function describeLoad(label: string, r: LoadResult): void {
  log(
    `${label}: ${round(r.rps)} req/s, p50 ${round(r.p50Ms, 2)} ms, p99 ${round(r.p99Ms, 2)} ms, ${JSON.stringify(r.statuses)}` +
      (r.serverCpuMsPerRequest !== undefined ? `, server CPU ${round(r.serverCpuMsPerRequest, 2)} ms/req` : '') +
      (r.dbCpuMsPerRequest !== undefined ? `, PostgreSQL CPU ${round(r.dbCpuMsPerRequest, 2)} ms/req` : '') +
      `, load generator ${round(r.clientCpuPercent)}% of a core`,
  );
}

function tokenRequest(resource: string) {
  return {
    method: 'POST',
    path: '/oidc/token',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'items:read' }).toString(),
  };
}

/** One token request, decoded: checks that both servers mint the same kind of token. */
async function sampleToken(baseUrl: string, resource: string): Promise<TokenSample> {
  const req = tokenRequest(resource);
  const res = await fetch(`${baseUrl}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
  const json = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !json.access_token) throw new Error(`token request to ${baseUrl} answered ${res.status}: ${JSON.stringify(json)}`);
  const [h, p] = json.access_token.split('.');
  const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString()) as { alg: string; kid: string; typ: string };
  const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as { iat: number; exp: number };
  return { alg: header.alg, kid: header.kid, typ: header.typ, ttl: payload.exp - payload.iat };
}

const signInBody = () => new URLSearchParams({ email: ACCOUNT_EMAIL, password: ACCOUNT_PASSWORD }).toString();

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
  // The sign-in page and a few full sign-ins, so every route on the bench's path is loaded.
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

type SignInCheck = { resumed: number; failed: number; failedSamples: string[] };

/**
 * autocannon requests for the over-the-cap run only (its goal compares the latency of 303s with
 * that of 503s, which wrk cannot tell apart): each takes its own interaction from the pool.
 */
function scriptedSignIns(pool: InteractionPool, check: SignInCheck): AutocannonRequest[] {
  const body = signInBody();
  return [
    {
      method: 'POST',
      setupRequest(req) {
        const it = pool.next();
        return { ...req, method: 'POST', path: `/interaction/${it.uid}/login`, headers: { cookie: it.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body };
      },
      onResponse(status, _body, _context, headers) {
        if (status !== 303) return;
        const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === 'location')?.[1];
        const location = Array.isArray(entry) ? (entry[0] ?? '') : (entry ?? '');
        if (location.includes('/oidc/auth/')) check.resumed += 1;
        else {
          check.failed += 1;
          if (check.failedSamples.length < 3) check.failedSamples.push(location);
        }
      },
    },
  ];
}

/** wrk options for password sign-ins: interactions written for bench/wrk/sign-in.lua, one file for the warm-up and one for the measured run. */
function wrkSignIns(warmup: PreparedInteraction[], measured: PreparedInteraction[]): Pick<WrkOptions, 'script'> {
  const dir = join(tmpdir(), `meridian-signin-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const write = (name: string, items: PreparedInteraction[]) => {
    const file = join(dir, name);
    writeFileSync(file, items.map((it) => `${it.uid}\t${it.cookie}`).join('\n') + '\n');
    return file;
  };
  return { script: { file: 'sign-in.lua', args: [write('measured.tsv', measured)], warmupArgs: [write('warmup.tsv', warmup.length ? warmup : measured)], globals: { BODY: signInBody() } } };
}

async function startReference(server: RunningServer, resource: string): Promise<{ child: ChildProcess; url: string; pid: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...server.env, NODE_ENV: 'production', BENCH_RESOURCE: resource };
  delete env.NODE_OPTIONS;
  delete env.BENCH_PROFILE_DIR;
  const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_ROOT, 'bench/reference-provider.ts')], { cwd: BENCH_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

async function settle(pid: number): Promise<void> {
  if (!(await waitUntilIdle(pid))) log('WARNING: the server did not become idle within 30 s');
}

/** A scratch database for one server: a fresh SQLite file (startServer's default), or a PostgreSQL database of its own. */
async function scratchDatabase(o: RoundOptions): Promise<{ url?: string; dbCpu?: () => CpuReading; drop(): Promise<void> }> {
  if (o.database === 'sqlite') return { drop: async () => undefined };
  if (!o.postgresUrl) throw new Error('a PostgreSQL round needs postgresUrl');
  process.env.TEST_POSTGRES_URL = o.postgresUrl;
  const db = await createScratchPostgresDatabase('bench');
  const name = new URL(db.url).pathname.slice(1);
  return { url: db.url, dbCpu: () => readPostgresBackendsCpu(name), drop: db.drop };
}

async function runOneRound(o: RoundOptions): Promise<RoundResult> {
  process.env.NEXT_DIST_DIR = o.dist;
  const build = process.cwd();
  const cap = Number(o.serverEnv.PASSWORD_HASH_CONCURRENCY ?? process.env.PASSWORD_HASH_CONCURRENCY) || defaultHashConcurrency();
  mkdirSync(PROFILE_DIR, { recursive: true });
  const preload = pathToFileURL(join(BENCH_ROOT, 'bench/server-preload.mjs')).href;
  const database = await scratchDatabase(o);
  const cleanups: (() => Promise<void>)[] = [database.drop];
  try {
    const server = await startServer({
      databaseUrl: database.url,
      env: { ...o.serverEnv, NODE_OPTIONS: [o.serverEnv.NODE_OPTIONS, `--import ${preload}`].filter(Boolean).join(' '), BENCH_PROFILE_DIR: PROFILE_DIR },
    });
    cleanups.unshift(() => server.stop());
    const { url } = server;
    const resource = `${url}/api/demo`;
    const pid = findListeningPid(server.port);
    const dbCpu = database.dbCpu;
    log(`${o.label}: server ${url}, pid ${pid}, ${o.database} ${database.url ?? server.env.DATABASE_URL}`);
    await server.cli(['accounts', 'create', '--email', ACCOUNT_EMAIL, '--password', ACCOUNT_PASSWORD, '--region', 'JP']);
    const tokenSample = await sampleToken(url, resource);
    await warmUp(url, resource);
    await sleep(5000);
    const idleAfterWarmUp = readRssMiB(pid);

    const ref = await startReference(server, resource);
    cleanups.unshift(() => stopChild(ref.child));
    const referenceTokenSample = await sampleToken(ref.url, resource);
    if (JSON.stringify(referenceTokenSample) !== JSON.stringify(tokenSample)) log(`WARNING: the bare provider mints a different token: ${JSON.stringify(referenceTokenSample)} vs ${JSON.stringify(tokenSample)}`);

    const run = { durationS: o.durationS, warmupS: o.warmupS, connections: o.connections };
    const measure = async (label: string, opts: Partial<WrkOptions> & { target?: { url: string; pid: number } }) => {
      const { target, ...rest } = opts;
      await settle(target?.pid ?? pid);
      const r = await runWrk({ url: target?.url ?? url, ...run, serverPid: target?.pid ?? pid, dbCpu: target ? undefined : dbCpu, ...rest });
      describeLoad(`${o.label} ${label}`, r);
      return r;
    };
    const health = await measure('GET /api/health', { path: '/api/health' });
    const discovery = await measure('GET /oidc/.well-known/openid-configuration', { path: '/oidc/.well-known/openid-configuration' });
    const jwks = await measure('GET /oidc/jwks', { path: '/oidc/jwks' });
    const token = await measure('POST /oidc/token client_credentials', tokenRequest(resource));
    const reference = await measure('bare oidc-provider POST /oidc/token', { ...tokenRequest(resource), target: { url: ref.url, pid: ref.pid } });

    // Half the measured peak, open loop, from a process of its own (wrk has no fixed-rate mode).
    const halfRate = Math.max(1, Math.round(token.rps / 2));
    const paced = await runPacedLoadInChild({ url, ...tokenRequest(resource), rps: halfRate, durationS: o.durationS, warmupS: o.warmupS });
    log(`${o.label} token at half peak (${halfRate}/s paced): p50 ${round(paced.p50Ms, 2)} ms, p99 ${round(paced.p99Ms, 2)} ms, ${JSON.stringify(paced.statuses)}`);

    // Bare argon2id verify (a process of its own, `cap` threads, 2 × cap in flight), then sign-ins.
    await settle(pid);
    const argon2 = await runBareArgon2InChild({ threads: cap, durationS: o.durationS, warmupS: o.warmupS, op: 'verify', password: ACCOUNT_PASSWORD });
    log(`${o.label} bare argon2id verify: ${round(argon2.perSecond, 1)}/s (${cap} threads, ${argon2.inFlight} in flight)`);
    const expected = (seconds: number) => Math.ceil(argon2.perSecond * seconds * 1.5) + 20;
    await settle(pid);
    const interactions = await prepareInteractions(url, expected(o.warmupS) + expected(o.durationS));
    const warmupCount = expected(o.warmupS);
    const signInLoad = await measure(`POST /interaction/<uid>/login, ${o.signInConnections} connections`, {
      connections: o.signInConnections,
      ...wrkSignIns(interactions.slice(0, warmupCount), interactions.slice(warmupCount)),
    });
    const c = signInLoad.counters ?? {};
    const signIn = { resumed: c.resumed ?? 0, failed: c.failed ?? 0, reused: c.reused ?? 0, poolSize: interactions.length - warmupCount };
    if (signIn.failed || (c.unavailable ?? 0)) log(`WARNING: ${signIn.failed} sign-ins went to an error page, ${c.unavailable ?? 0} answered 503`);

    // Over the cap: fast 503s, no growing queue (autocannon: latency per status).
    await settle(pid);
    const overloadPool = new InteractionPool(await prepareInteractions(url, expected(o.durationS)));
    const overloadCheck: SignInCheck = { resumed: 0, failed: 0, failedSamples: [] };
    const overload = await runScriptedLoad({ url, connections: o.overloadConnections, durationS: o.durationS, warmupS: 0, serverPid: pid, requests: scriptedSignIns(overloadPool, overloadCheck) });
    describeLoad(`${o.label} sign-in over the cap, ${o.overloadConnections} connections (autocannon)`, overload);

    let tokenExchange: RoundResult['tokenExchange'];
    if (o.tokenExchange) {
      await settle(pid);
      const r = await runTokenExchangeScenario(server, { connections: Math.min(o.connections, 10), durationS: o.durationS, warmupS: o.warmupS, pid, dbCpu, latencySamples: 50, log: (m) => log(`${o.label} ${m}`) });
      tokenExchange = { clientCredentials: r.clientCredentials, tokenExchange: r.tokenExchange, conversions: r.conversions, conversionLatency: r.conversionLatency, costRatio: r.costRatio };
    }

    if (o.profileS > 0) await profile(o, url, pid, resource, expected);

    const rss: RoundResult['rss'] = { idleAfterWarmUp };
    if (o.idleS > 0) {
      await settle(pid);
      log(`${o.label} idle ${o.idleS} s, then both servers' RSS …`);
      await sleep(o.idleS * 1000);
      rss.afterLoad = readRssMiB(pid);
      rss.referenceAfterLoad = readRssMiB(ref.pid);
      log(`${o.label} idle RSS ${round(rss.afterLoad)} MiB, bare oidc-provider ${round(rss.referenceAfterLoad)} MiB`);
    }
    for (const f of cleanups.splice(0, 2)) await f();

    let signUp: SignUpBenchResult | undefined;
    if (o.signUp) {
      const signUpDb = await scratchDatabase(o);
      cleanups.push(signUpDb.drop);
      signUp = await runSignUpBench({ durationS: o.durationS, warmupS: o.warmupS, rounds: 1, warmupSignUps: o.signUpWarmups, latencySamples: 20, dist: o.dist, databaseUrl: signUpDb.url, dbCpu: signUpDb.dbCpu, log: (m) => log(`${o.label} sign-up: ${m}`) });
    }
    return {
      label: o.label,
      database: o.database,
      build,
      hashCap: cap,
      loadAverage: loadAverage(),
      tokenSample,
      referenceTokenSample,
      loads: { health, discovery, jwks, token, reference, signIn: signInLoad, overload },
      argon2,
      paced,
      signIn,
      overloadCheck,
      rss,
      tokenExchange,
      signUp,
    };
  } finally {
    for (const f of cleanups) await f().catch((e: unknown) => log(`cleanup: ${String(e)}`));
  }
}

/** CPU profiles of the server under the token, health and sign-in loads (bench/results/profile.md). */
async function profile(o: RoundOptions, url: string, pid: number, resource: string, expected: (s: number) => number): Promise<void> {
  const sections: string[] = [];
  const interactions = await prepareInteractions(url, expected(o.profileS));
  const loads: [string, string, Partial<WrkOptions>][] = [
    ['token', 'POST /oidc/token (client_credentials)', tokenRequest(resource)],
    ['health', 'GET /api/health', { path: '/api/health' }],
    ['signin', `POST /interaction/<uid>/login (${o.signInConnections} connections)`, { connections: o.signInConnections, ...wrkSignIns([], interactions) }],
  ];
  for (const [name, title, req] of loads) {
    await settle(pid);
    log(`profiling ${title} for ${o.profileS} s …`);
    const { result, file } = await profileServer(PROFILE_DIR, pid, name, () => runWrk({ url, connections: o.connections, durationS: o.profileS, warmupS: 0, serverPid: pid, ...req }));
    sections.push(profileToMarkdown(`${title}: ${round(result.rps)} req/s while profiled`, analyzeProfile(file, process.cwd()), result.total));
  }
  writeFileSync(join(RESULTS_DIR, 'profile.md'), `# CPU profiles (${o.label}, ${new Date().toISOString()})\n\n${sections.join('\n')}`);
}

/** Runs one round in a child process whose working directory is `build`; its progress log goes to stderr as it comes. */
export function runRound(build: string, options: RoundOptions): Promise<RoundResult> {
  if (!existsSync(join(build, options.dist, 'BUILD_ID'))) {
    return Promise.reject(new Error(`No production build in ${join(build, options.dist)} (no BUILD_ID): run \`npx next build\` there first, or pass --dist`));
  }
  return runJsonChild<RoundResult>(`bench round ${options.label}`, join(__dirname, 'round.ts'), options, { cwd: build, echoStderr: true });
}

if (require.main === module) serveJsonChild<RoundOptions, RoundResult>(runOneRound);
