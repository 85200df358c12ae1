/**
 * DPoP scenario (issue 31, point 17 and "Performance"): what a DPoP-bound token costs next to a
 * bearer one, in the same run, at the resource server and at the token endpoint.
 *
 *   DP-a  GET /api/demo/items, bearer token (demo-service, client_credentials)
 *   DP-b  GET /api/demo/items, DPoP-bound token (same client) + a fresh proof per request
 *   DP-c  guard.authorize(), bearer, in-process (remembered token + rules): CPU per call
 *   DP-d  guard.authorize(), DPoP, in-process (remembered token + proof check): CPU per call
 *   TE-*  POST /oidc/token client_credentials, one row per TOKEN_ENDPOINT variant below
 *
 * Goal: DP-b costs under 25% more than DP-a (server CPU per request when the server's pid is
 * known, else req/s). Runs alternate a-b-b-a (a-b-c-c-b-a for three variants) so drift on a
 * shared machine hits each alike. Proofs and assertions are signed before each run (a pool; a
 * run that outgrows it signs on the fly, counted in the notes), so the load generator's signing
 * does not compete with the server during the measured phase.
 *
 * `runDpopScenario()` is the scenario for bench/run.ts (`--scenarios dpop`); alone, with CPU
 * profiles of the server under the bearer and the DPoP load:
 *   NEXT_DIST_DIR=.next-bench npx tsx bench/dpop.ts [--duration 10 --warmup 3 --connections 20 --rounds 1 --profile-seconds 5]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createPrivateKey, type JsonWebKey as NodeJsonWebKey, type KeyObject } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createResourceServerGuard } from '../lib/resource-server/resource-server-guard';
import { startServer } from '../tests/support/server-process';
import { runScriptedLoad } from './lib/scripted-load';
import type { LoadResult } from './lib/wrk-load';
import { loadAverage, machineInfo } from './lib/machine';
import { findListeningPid, readCpuMs, readThreadCpuNs } from './lib/proc';
import { analyzeProfile, profileToMarkdown } from './lib/profile-analysis';
import { rowsToMarkdown, type Row } from './lib/report';
import { percentile, round, sleep } from './lib/stats';
import { profileServer } from './lib/server-profile';
import { clientAssertion, createSyncEs256Key, dpopProof, type SyncEs256Key } from './lib/sync-jwt';

export const DPOP_GOAL = { maxExtraCostShare: 0.25 };

const ROOT = resolve(__dirname, '..');
const PROFILE_DIR = join(ROOT, 'bench/results/profiles');
const DEMO_SERVICE = { id: 'demo-service', secret: 'demo-service-secret-0123456789' };
/** Pre-signed proofs must still be inside the resource server's ±60 s iat window when sent. */
const MAX_POOLED_SECONDS = 45;

type BuiltRequest = { headers: Record<string, string>; body?: string };

/** One kind of request in an a-b-b-a comparison. */
export type RequestVariant = {
  id: string;
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** Builds one request. */
  build: () => BuiltRequest;
  /** Every request must be new (a proof or assertion with its own jti): built into a pool before each run. */
  fresh: boolean;
};

const basic = (client: { id: string; secret: string }) => `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

function clientCredentialsBody(url: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ grant_type: 'client_credentials', scope: 'items:read', resource: `${url}/api/demo`, ...extra }).toString();
}

/** The demo private_key_jwt client of idp.config.yaml, with its committed private key. */
function demoServiceJwt(): { clientId: string; kid: string; privateKey: KeyObject } {
  const jwk = JSON.parse(readFileSync(resolve('tests/support/keys/demo-service-jwt.private.json'), 'utf8')) as NodeJsonWebKey;
  return { clientId: 'demo-service-jwt', kid: String(jwk.kid), privateKey: createPrivateKey({ key: jwk, format: 'jwk' }) };
}

/** The token-endpoint variants, in table order: client_secret_basic, with DPoP, private_key_jwt. */
export function tokenEndpointVariants(url: string, dpopKey: SyncEs256Key): RequestVariant[] {
  const tokenUrl = `${url}/oidc/token`;
  return [
    { id: 'TE-a', name: 'client_secret_basic', method: 'POST', path: '/oidc/token', fresh: false, build: () => ({ headers: { authorization: basic(DEMO_SERVICE), ...form }, body: clientCredentialsBody(url) }) },
    {
      id: 'TE-b',
      name: 'client_secret_basic + DPoP proof (DPoP-bound token)',
      method: 'POST',
      path: '/oidc/token',
      fresh: true,
      build: () => ({ headers: { authorization: basic(DEMO_SERVICE), ...form, dpop: dpopProof(dpopKey, 'POST', tokenUrl) }, body: clientCredentialsBody(url) }),
    },
    privateKeyJwtVariant(url, demoServiceJwt()),
  ];
}

/** client_credentials with private_key_jwt (RFC 7523): a fresh ES256 assertion per request. */
export function privateKeyJwtVariant(url: string, client: { clientId: string; kid: string; privateKey: KeyObject }, id = 'TE-c'): RequestVariant {
  const key = createSyncEs256Key(client.privateKey);
  return {
    id,
    name: 'private_key_jwt',
    method: 'POST',
    path: '/oidc/token',
    fresh: true,
    build: () => ({
      headers: form,
      body: clientCredentialsBody(url, {
        client_id: client.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion(key, client.kid, client.clientId, `${url}/oidc`),
      }),
    }),
  };
}

async function fetchToken(url: string, variant: RequestVariant): Promise<{ access_token: string; token_type: string }> {
  const r = variant.build();
  const res = await fetch(`${url}${variant.path}`, { method: variant.method, headers: r.headers, body: r.body });
  const json = (await res.json()) as { access_token?: string; token_type?: string };
  if (res.status !== 200 || !json.access_token || !json.token_type) throw new Error(`${variant.id} token request answered ${res.status}: ${JSON.stringify(json)}`);
  return { access_token: json.access_token, token_type: json.token_type };
}

function resourceVariants(url: string, bearer: string, bound: string, key: SyncEs256Key): RequestVariant[] {
  const htu = `${url}/api/demo/items`;
  return [
    { id: 'DP-a', name: 'bearer token', method: 'GET', path: '/api/demo/items', fresh: false, build: () => ({ headers: { authorization: `Bearer ${bearer}` } }) },
    { id: 'DP-b', name: 'DPoP-bound token + proof', method: 'GET', path: '/api/demo/items', fresh: true, build: () => ({ headers: { authorization: `DPoP ${bound}`, dpop: dpopProof(key, 'GET', htu, bound) } }) },
  ];
}

/** Waits until the server is idle (under 5% of a core over 500 ms, at most 30 s). */
async function settle(pid: number | undefined): Promise<void> {
  if (!pid) return sleep(1000);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const before = readCpuMs(pid);
    await sleep(500);
    if (readCpuMs(pid) - before < 25) return;
  }
}

type RunOptions = {
  url: string;
  serverPid?: number;
  connections: number;
  durationS: number;
  warmupS: number;
  /** How many times the mirrored sequence runs (default 1: a-b-b-a). */
  rounds?: number;
  log: (m: string) => void;
};
type VariantRuns = { variant: RequestVariant; runs: LoadResult[]; builtOnTheFly: number };

/** One load run of a variant: fresh variants serve pre-built requests, then build on the fly. */
async function runVariant(variant: RequestVariant, options: RunOptions, expectedRps: number): Promise<{ result: LoadResult; builtOnTheFly: number }> {
  const pooled = variant.fresh && options.durationS + options.warmupS <= MAX_POOLED_SECONDS;
  const pool: BuiltRequest[] = [];
  if (pooled) {
    const size = Math.ceil(expectedRps * (options.durationS + options.warmupS) * 1.3) + 500;
    for (let i = 0; i < size; i += 1) pool.push(variant.build());
  }
  let builtOnTheFly = 0;
  const fixed = variant.fresh ? undefined : variant.build();
  // autocannon, not wrk: a fresh proof per request is built in JavaScript; the bearer variants use
  // the same generator so that the comparison is like for like.
  const result = await runScriptedLoad({
    url: options.url,
    connections: options.connections,
    durationS: options.durationS,
    warmupS: options.warmupS,
    serverPid: options.serverPid,
    requests: [
      {
        method: variant.method,
        path: variant.path,
        setupRequest: (req) => {
          let r = fixed ?? pool.pop();
          if (!r) {
            builtOnTheFly += 1;
            r = variant.build();
          }
          return { ...req, method: variant.method, path: variant.path, headers: r.headers, body: r.body };
        },
      },
    ],
  });
  return { result, builtOnTheFly };
}

/** Every route and code path loaded and optimized before anything is measured. */
async function warmUp(url: string, variants: RequestVariant[]): Promise<void> {
  for (let i = 0; i < 30; i += 1) {
    await Promise.all(
      variants.flatMap((v) =>
        Array.from({ length: 10 }, async () => {
          const r = v.build();
          const res = await fetch(`${url}${v.path}`, { method: v.method, headers: r.headers, body: r.body });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`warm-up: ${v.id} answered ${res.status}`);
        }),
      ),
    );
  }
}

/** a-b-…-…-b-a (each variant twice, mirrored), `rounds` times. */
async function runMirrored(variants: RequestVariant[], options: RunOptions): Promise<VariantRuns[]> {
  const byId = new Map(variants.map((v) => [v.id, { variant: v, runs: [] as LoadResult[], builtOnTheFly: 0 }]));
  await warmUp(options.url, variants);
  // One unmeasured load run of each: the first closed-loop run after start-up is still several times slower.
  for (const variant of variants) await runVariant(variant, { ...options, durationS: Math.max(3, options.warmupS), warmupS: 0 }, 2000);
  let expectedRps = 2000;
  const mirrored = [...variants, ...[...variants].reverse()];
  for (const variant of Array.from({ length: options.rounds ?? 1 }, () => mirrored).flat()) {
    await settle(options.serverPid);
    const { result, builtOnTheFly } = await runVariant(variant, options, expectedRps);
    expectedRps = Math.max(expectedRps, result.rps);
    const entry = byId.get(variant.id)!;
    entry.runs.push(result);
    entry.builtOnTheFly += builtOnTheFly;
    options.log(
      `${variant.id} ${variant.name}: ${round(result.rps)} req/s, p50 ${round(result.p50Ms, 2)} ms, p99 ${round(result.p99Ms, 2)} ms, statuses ${JSON.stringify(result.statuses)}` +
        `${result.serverCpuMsPerRequest !== undefined ? `, server CPU ${round(result.serverCpuMsPerRequest, 3)} ms/req` : ''}${builtOnTheFly ? `, ${builtOnTheFly} built on the fly` : ''}`,
    );
  }
  return [...byId.values()];
}

function summary(runs: LoadResult[]): Pick<Row, 'rps' | 'p50Ms' | 'p99Ms' | 'bad' | 'cpuMsPerRequest'> {
  const cpu = runs.map((r) => r.serverCpuMsPerRequest).filter((c): c is number => c !== undefined);
  return {
    rps: runs.reduce((n, r) => n + r.total, 0) / runs.reduce((s, r) => s + r.durationS, 0),
    p50Ms: percentile(runs.map((r) => r.p50Ms), 50),
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    bad: runs.reduce((n, r) => n + r.bad, 0),
    cpuMsPerRequest: cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : undefined,
  };
}

/** Per round (runs 2k and 2k+1 of each variant): server CPU per request of b over a, minus 1. */
function roundCpuCosts(a: LoadResult[], b: LoadResult[]): number[] {
  const costs: number[] = [];
  for (let k = 0; k + 1 < a.length && k + 1 < b.length; k += 2) {
    const cpu = (runs: LoadResult[]) => runs.reduce((sum, r) => sum + (r.serverCpuMsPerRequest ?? Number.NaN), 0);
    const ratio = cpu(b.slice(k, k + 2)) / cpu(a.slice(k, k + 2)) - 1;
    if (Number.isFinite(ratio)) costs.push(ratio);
  }
  return costs;
}

/** CPU per call (µs) of the guard on its own, bearer vs DPoP, with real keys and proofs. */
async function inProcess(calls: number): Promise<{ bearerUs: number; dpopUs: number }> {
  const issuer = 'https://id.example.com/oidc';
  const audience = 'https://id.example.com/api/demo';
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256' };
  const holder = createSyncEs256Key();
  const token = (cnf?: object) =>
    new SignJWT({ client_id: 'demo-service', scope: 'items:read', ...(cnf ? { cnf } : {}) })
      .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('demo-service')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
  const [bearer, bound] = [await token(), await token({ jkt: holder.jkt })];
  const guard = createResourceServerGuard({ issuer, audience, jwks: { keys: [jwk] }, publicOrigin: 'https://id.example.com', endpoints: [{ method: 'GET', path: '/api/demo/items', scopes: ['items:read'] }] });
  const htu = 'https://id.example.com/api/demo/items';
  const proofs = Array.from({ length: calls + 200 }, () => dpopProof(holder, 'GET', htu, bound));
  const cpuPerCall = async (n: number, call: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 200; i += 1) await call(i);
    const start = process.cpuUsage();
    for (let i = 0; i < n; i += 1) await call(200 + i);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / n;
  };
  const ok = (r: { ok: boolean; description?: string }) => {
    if (!r.ok) throw new Error(`the guard refused the bench token: ${r.description}`);
  };
  const bearerUs = await cpuPerCall(calls, async () => ok(await guard.authorize({ method: 'GET', path: '/api/demo/items', authorization: `Bearer ${bearer}` })));
  const dpopUs = await cpuPerCall(calls, async (i) => ok(await guard.authorize({ method: 'GET', path: '/api/demo/items', authorization: `DPoP ${bound}`, dpop: proofs[i] })));
  return { bearerUs, dpopUs };
}

export type DpopScenarioResult = { rows: Row[]; details: string[]; extraCostShare: number; pass: boolean; resourceRuns: VariantRuns[]; tokenRuns: VariantRuns[] };

export async function runDpopScenario(options: RunOptions): Promise<DpopScenarioResult> {
  const { url, log } = options;
  const key = createSyncEs256Key();
  const tokenVariants = tokenEndpointVariants(url, key);
  const bearer = await fetchToken(url, tokenVariants[0]!);
  const bound = await fetchToken(url, tokenVariants[1]!);
  if (bound.token_type.toLowerCase() !== 'dpop') throw new Error(`the DPoP token request answered token_type ${bound.token_type}`);
  const rsVariants = resourceVariants(url, bearer.access_token, bound.access_token, key);
  // Same answer from both before measuring.
  const bodies = await Promise.all(
    rsVariants.map(async (v) => {
      const r = v.build();
      const res = await fetch(`${url}${v.path}`, { headers: r.headers });
      return { status: res.status, body: await res.text() };
    }),
  );
  if (bodies.some((b) => b.status !== 200 || b.body !== bodies[0]!.body)) throw new Error(`bearer and DPoP answers differ: ${JSON.stringify(bodies.map((b) => [b.status, b.body.slice(0, 120)]))}`);

  log('resource server: bearer vs DPoP-bound, a-b-b-a …');
  const resourceRuns = await runMirrored(rsVariants, options);
  log('token endpoint: client authentication variants, mirrored …');
  const tokenRuns = await runMirrored(tokenVariants, { ...options, connections: Math.min(options.connections, 10) });
  log('in-process: guard.authorize() bearer vs DPoP …');
  const local = await inProcess(5000);

  const [a, b] = resourceRuns.map((r) => summary(r.runs)) as [ReturnType<typeof summary>, ReturnType<typeof summary>];
  const rpsCost = 1 - b.rps! / a.rps!;
  const perRound = roundCpuCosts(resourceRuns[0]!.runs, resourceRuns[1]!.runs);
  // The median of the rounds' CPU ratios: a round's four runs are close in time, so drift between rounds cancels out.
  const cpuCost = perRound.length ? percentile(perRound, 50) : undefined;
  const extraCostShare = cpuCost ?? rpsCost;
  const bad = resourceRuns.reduce((n, r) => n + r.runs.reduce((m, x) => m + x.bad, 0), 0);
  const pass = bad === 0 && extraCostShare < DPOP_GOAL.maxExtraCostShare;
  const pct = (x: number) => `${round(x * 100, 1)}%`;
  const te = tokenRuns.map((r) => ({ variant: r.variant, ...summary(r.runs) }));
  const teBase = te[0]!;
  const rows: Row[] = [
    { id: 'DP-a', name: '`GET /api/demo/items`, bearer token (client_credentials, remembered verification)', ...a },
    {
      id: 'DP-b',
      name: `\`GET /api/demo/items\`, DPoP-bound token + a fresh proof each request (${pct(b.rps! / a.rps!)} of DP-a req/s${cpuCost !== undefined ? `; +${pct(cpuCost)} server CPU per request, median of the rounds` : ''})`,
      ...b,
      goal: `costs < ${DPOP_GOAL.maxExtraCostShare * 100}% more than DP-a${cpuCost !== undefined ? ' (server CPU/req, median of the rounds)' : ' (req/s)'}`,
      pass,
    },
    { id: 'DP-c', name: '`guard.authorize()` bearer, in-process (remembered token + rules)', value: `${round(local.bearerUs, 1)} µs CPU per call` },
    { id: 'DP-d', name: '`guard.authorize()` DPoP, in-process (remembered token + proof: one ES256 verify, htu, ath, jkt, jti)', value: `${round(local.dpopUs, 1)} µs CPU per call (+${round(local.dpopUs - local.bearerUs, 1)} µs)` },
    ...te.map((t) => ({
      id: t.variant.id,
      name: `\`POST /oidc/token\` client_credentials, ${t.variant.name}${t === teBase ? '' : ` (${pct(t.rps! / teBase.rps!)} of ${teBase.variant.id} req/s${t.cpuMsPerRequest !== undefined && teBase.cpuMsPerRequest !== undefined ? `; +${pct(t.cpuMsPerRequest / teBase.cpuMsPerRequest - 1)} server CPU per request` : ''})`}`,
      rps: t.rps,
      p50Ms: t.p50Ms,
      p99Ms: t.p99Ms,
      bad: t.bad,
      cpuMsPerRequest: t.cpuMsPerRequest,
    })),
  ];
  const onTheFly = [...resourceRuns, ...tokenRuns].filter((r) => r.builtOnTheFly > 0).map((r) => `${r.variant.id} ${r.builtOnTheFly}`);
  const details = [
    `- ${options.connections} connections at the resource server, ${Math.min(options.connections, 10)} at the token endpoint; each variant twice per round, mirrored, ${options.rounds ?? 1} round(s) (${options.durationS} s each after ${options.warmupS} s warm-up; 300 requests and one unmeasured load run of each variant first); req/s over both runs, p50 the median of the runs', p99 the worst run's. Runs: ${[...resourceRuns, ...tokenRuns].map((r) => `${r.variant.id} ${r.runs.map((x) => round(x.rps)).join(' / ')}`).join(', ')} req/s.`,
    ...(perRound.length ? [`- server CPU per request, DP-b over DP-a, per round (a-b-b-a): ${perRound.map((x) => `+${pct(x)}`).join(', ')}.`] : []),
    `- tokens: client_credentials of demo-service for ${url}/api/demo, one bearer and one DPoP-bound (ES256 proof key, \`cnf.jkt\`), each sent on every request as a client does during a token's lifetime: the guard verifies the token's signature once and remembers it, so DP-b − DP-a is the proof alone. Proofs and token-endpoint requests were signed before each run${onTheFly.length ? `; built during the run: ${onTheFly.join(', ')}` : ' (none built during a run)'}.`,
    `- the resource server's DPoP proof check: header decode, the client's key taken from memory (imported once per key), one ES256 verify with node:crypto, htm/htu/iat/ath/jkt, the jti remembered in memory. At the token endpoint oidc-provider verifies the proof through WebCrypto and stores its jti through the database adapter (ReplayDetection).`,
  ];
  return { rows, details, extraCostShare, pass, resourceRuns, tokenRuns };
}


/** Standalone: starts the production build (NEXT_DIST_DIR) with a fresh database, runs the scenario, then profiles both loads. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { duration: { type: 'string' }, warmup: { type: 'string' }, connections: { type: 'string' }, rounds: { type: 'string' }, 'profile-seconds': { type: 'string' } },
  });
  const durationS = Number(values.duration ?? 10);
  const warmupS = Number(values.warmup ?? 3);
  const connections = Number(values.connections ?? 20);
  const profileS = Number(values['profile-seconds'] ?? 5);
  const rounds = Number(values.rounds ?? 1);
  process.env.NEXT_DIST_DIR ??= '.next-bench';
  const machine = machineInfo();
  const log = (m: string) => console.log(`[bench:dpop ${new Date().toISOString().slice(11, 19)}] ${m}`);
  log(`${machine.cpuModel} × ${machine.cores}, node ${machine.node}, load ${machine.loadAverage}; build ${process.env.NEXT_DIST_DIR}`);
  mkdirSync(PROFILE_DIR, { recursive: true });
  const preload = pathToFileURL(join(ROOT, 'bench/server-preload.mjs')).href;
  const server = await startServer({ env: { NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import ${preload}`].filter(Boolean).join(' '), BENCH_PROFILE_DIR: PROFILE_DIR } });
  try {
    const pid = findListeningPid(server.port);
    const run = { url: server.url, serverPid: pid, connections, durationS, warmupS, rounds, log };
    const result = await runDpopScenario(run);
    const sections: string[] = [];
    if (profileS > 0) {
      const [bearerVariant, dpopVariant] = result.resourceRuns.map((r) => r.variant) as [RequestVariant, RequestVariant];
      const tokenDpop = result.tokenRuns[1]!.variant;
      const profiles = [
        ['rs-bearer', bearerVariant, connections],
        ['rs-dpop', dpopVariant, connections],
        ['token-dpop', tokenDpop, Math.min(connections, 10)],
      ] as const;
      for (const [name, variant, c] of profiles) {
        await settle(pid);
        log(`profiling ${variant.id} ${variant.name} for ${profileS} s …`);
        const before = readThreadCpuNs(pid);
        const { result: r, file } = await profileServer(PROFILE_DIR, pid, name, () => runVariant(variant, { ...run, connections: c, durationS: profileS, warmupS: 0 }, 3000));
        const after = readThreadCpuNs(pid);
        const us = (ns: number) => Math.round(ns / 1000 / r.result.total);
        const threads = `Server threads while profiled (profiler included), per response: main ${us(after.mainNs - before.mainNs)} µs, other threads (GC helpers, libuv pool) ${us(after.otherNs - before.otherNs)} µs.`;
        sections.push(`${profileToMarkdown(`${variant.id} ${variant.name}: ${round(r.result.rps)} req/s while profiled`, analyzeProfile(file, ROOT), r.result.total)}\n${threads}\n`);
      }
    }
    const markdown = `${rowsToMarkdown(result.rows)}\n\n${result.details.join('\n')}\n- load average at the end: ${loadAverage()}\n${sections.length ? `\n## Where the time goes (server CPU profiles, main thread)\n\n${sections.join('\n')}` : ''}`;
    writeFileSync(join(ROOT, 'bench/results/dpop.md'), `# DPoP benchmark — ${machine.date}\n\n${markdown}`);
    console.log(`\n${markdown}`);
    log('wrote bench/results/dpop.md');
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error('The DPoP benchmark could not run:', e);
    process.exit(1);
  });
}
