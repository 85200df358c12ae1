/**
 * Resource-server scenario (issue 4): what bearer-JWT verification plus the endpoint rules
 * (lib/resource-server) cost the demo API, measured in one run against its unverified twin.
 *
 *   RS-a  GET /api/demo/items-unverified   the same route and payload, no token looked at
 *   RS-b  GET /api/demo/items               Bearer JWT (ES256, at+jwt) verified + rules
 *   RS-c  bare ES256 jwtVerify with jose, in this process (reference)
 *   RS-d  the guard's authorize() in this process (verification + rules, no HTTP)
 *
 * Goal: RS-b ≥ 85% of RS-a (verification and rules cost under 15% of throughput). RS-a and
 * RS-b alternate A-B-B-A so that drift on a shared machine hits both alike.
 *
 * `benchResourceServer()` is the scenario for bench/run.ts; run alone with
 *   NEXT_DIST_DIR=.next-bench npx tsx bench/resource-server.ts [--duration 10 --warmup 3 --connections 20]
 */
import { parseArgs } from 'node:util';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { createResourceServerGuard } from '../lib/resource-server/resource-server-guard';
import { ASYMMETRIC_ALGORITHMS } from '../lib/resource-server/verify-access-token';
import { startServer } from '../tests/support/server-process';
import { runWrk, type LoadResult } from './lib/wrk-load';
import { loadAverage, machineInfo } from './lib/machine';
import { findListeningPid, readCpuMs } from './lib/proc';
import { rowsToMarkdown, type Row } from './lib/report';
import { percentile, round, sleep } from './lib/stats';

export const RESOURCE_SERVER_GOAL = { maxCostShare: 0.15 };

export type ResourceServerBenchOptions = {
  /** The running server's origin. */
  url: string;
  /** Its pid, to charge server CPU per request. */
  serverPid?: number;
  connections: number;
  durationS: number;
  warmupS: number;
  /** A client with items:read on `${url}/api/demo` (default: demo-service of idp.config.yaml). */
  client?: { id: string; secret: string };
  log?: (message: string) => void;
};

export type InProcessResult = { perSecond: number; total: number; p50Us: number; p99Us: number };

export type ResourceServerBenchResult = {
  unverified: LoadResult[];
  verified: LoadResult[];
  unverifiedRps: number;
  verifiedRps: number;
  /** 1 − verified / unverified. */
  costShare: number;
  /**
   * 1 − (server CPU ms/req unverified ÷ verified): the throughput cost if the server is CPU-bound.
   * Steadier than req/s on a shared machine, where other work skews single runs.
   */
  cpuCostShare: number | undefined;
  pass: boolean;
  bareEs256: InProcessResult;
  guardInProcess: InProcessResult;
  guardInProcessUncached: InProcessResult;
  token: { alg: string; typ: string; kid: string; bytes: number };
  rows: Row[];
  details: string[];
};

const DEMO_SERVICE = { id: 'demo-service', secret: 'demo-service-secret-0123456789' };

async function serviceToken(url: string, client: { id: string; secret: string }): Promise<string> {
  const res = await fetch(`${url}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'items:read', resource: `${url}/api/demo` }),
  });
  const json = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !json.access_token) throw new Error(`token request answered ${res.status}: ${JSON.stringify(json)}`);
  return json.access_token;
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

/** Calls `fn` back to back for `durationS` seconds (after `warmupS`), one at a time. */
async function loop(fn: () => Promise<unknown>, durationS: number, warmupS: number): Promise<InProcessResult> {
  const warmEnd = performance.now() + warmupS * 1000;
  while (performance.now() < warmEnd) await fn();
  const samples: number[] = [];
  const start = performance.now();
  const end = start + durationS * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    await fn();
    samples.push((performance.now() - t) * 1000);
  }
  const elapsedS = (performance.now() - start) / 1000;
  return { perSecond: samples.length / elapsedS, total: samples.length, p50Us: percentile(samples, 50), p99Us: percentile(samples, 99) };
}

/** jose on its own, and our guard on its own, against a local ES256 key (no network). */
async function inProcess(durationS: number, warmupS: number): Promise<{ bare: InProcessResult; guard: InProcessResult; guardUncached: InProcessResult }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
  const issuer = 'https://id.example.com/oidc';
  const audience = 'https://id.example.com/api/demo';
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ client_id: 'demo-web', scope: 'items:read', country_region_code: 'JP', acr: 'urn:meridian:aal1', auth_time: now, jti: 'bench' })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('account-1')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
  const keys = createLocalJWKSet({ keys: [jwk] });
  const options = { issuer, audience, typ: 'at+jwt', algorithms: [...ASYMMETRIC_ALGORITHMS], requiredClaims: ['exp', 'iat', 'sub', 'client_id'] };
  const bare = await loop(() => jwtVerify(token, keys, options), durationS, warmupS);
  const authorization = `Bearer ${token}`;
  const measureGuard = (verifiedCacheSize: number | undefined) => {
    const guard = createResourceServerGuard({ issuer, audience, jwks: { keys: [jwk] }, endpoints: [{ method: 'GET', path: '/api/demo/items', scopes: ['items:read'] }], verifiedCacheSize });
    return loop(async () => {
      const r = await guard.authorize({ method: 'GET', path: '/api/demo/items', authorization });
      if (!r.ok) throw new Error(`guard refused the bench token: ${r.description}`);
    }, durationS, warmupS);
  };
  return { bare, guard: await measureGuard(undefined), guardUncached: await measureGuard(0) };
}

function combinedRps(runs: LoadResult[]): number {
  return runs.reduce((n, r) => n + r.total, 0) / runs.reduce((s, r) => s + r.durationS, 0);
}

function summary(runs: LoadResult[]): Pick<Row, 'rps' | 'p50Ms' | 'p99Ms' | 'bad' | 'cpuMsPerRequest'> {
  const cpu = runs.map((r) => r.serverCpuMsPerRequest).filter((c): c is number => c !== undefined);
  return {
    rps: combinedRps(runs),
    p50Ms: percentile(runs.map((r) => r.p50Ms), 50),
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    bad: runs.reduce((n, r) => n + r.bad, 0),
    cpuMsPerRequest: cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : undefined,
  };
}

export async function benchResourceServer(options: ResourceServerBenchOptions): Promise<ResourceServerBenchResult> {
  const log = options.log ?? ((m: string) => console.log(`[bench:rs] ${m}`));
  const { url, serverPid, connections, durationS, warmupS } = options;
  const accessToken = await serviceToken(url, options.client ?? DEMO_SERVICE);
  const [h] = accessToken.split('.');
  const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString()) as { alg: string; typ: string; kid: string };
  const token = { alg: header.alg, typ: header.typ, kid: header.kid, bytes: accessToken.length };

  const verifiedRequest = { path: '/api/demo/items', headers: { authorization: `Bearer ${accessToken}` } };
  const unverifiedRequest = { path: '/api/demo/items-unverified' };
  // Same answer from both, before measuring anything.
  const [a, b] = await Promise.all([
    fetch(`${url}${verifiedRequest.path}`, { headers: verifiedRequest.headers }).then(async (r) => ({ status: r.status, body: await r.text() })),
    fetch(`${url}${unverifiedRequest.path}`).then(async (r) => ({ status: r.status, body: await r.text() })),
  ]);
  if (a.status !== 200 || b.status !== 200 || a.body !== b.body) {
    throw new Error(`the verified endpoint and its twin differ: ${a.status} ${a.body.slice(0, 200)} / ${b.status} ${b.body.slice(0, 200)}`);
  }
  for (let i = 0; i < 200; i += 1) {
    await Promise.all([fetch(`${url}${verifiedRequest.path}`, { headers: verifiedRequest.headers }).then((r) => r.arrayBuffer()), fetch(`${url}${unverifiedRequest.path}`).then((r) => r.arrayBuffer())]);
  }

  const unverified: LoadResult[] = [];
  const verified: LoadResult[] = [];
  for (const which of ['unverified', 'verified', 'verified', 'unverified'] as const) {
    await settle(serverPid);
    const req = which === 'verified' ? verifiedRequest : unverifiedRequest;
    const r = await runWrk({ url, connections, durationS, warmupS, serverPid, ...req });
    log(`${req.path}: ${round(r.rps)} req/s, p50 ${round(r.p50Ms, 2)} ms, p99 ${round(r.p99Ms, 2)} ms, statuses ${JSON.stringify(r.statuses)}${r.serverCpuMsPerRequest !== undefined ? `, server CPU ${round(r.serverCpuMsPerRequest, 2)} ms/req` : ''}`);
    (which === 'verified' ? verified : unverified).push(r);
  }

  const inProcessS = Math.min(durationS, 5);
  log(`in-process: bare ES256 jwtVerify and the guard, ${inProcessS} s each …`);
  const { bare, guard, guardUncached } = await inProcess(inProcessS, Math.min(warmupS, 1));
  log(`bare jose ES256 jwtVerify: ${round(bare.perSecond)}/s (p50 ${round(bare.p50Us)} µs); guard.authorize: ${round(guard.perSecond)}/s (p50 ${round(guard.p50Us)} µs)`);

  const unverifiedRps = combinedRps(unverified);
  const verifiedRps = combinedRps(verified);
  const costShare = 1 - verifiedRps / unverifiedRps;
  const bad = [...unverified, ...verified].reduce((n, r) => n + r.bad, 0);
  const cpuU = summary(unverified).cpuMsPerRequest;
  const cpuV = summary(verified).cpuMsPerRequest;
  const cpuCostShare = cpuU !== undefined && cpuV !== undefined ? 1 - cpuU / cpuV : undefined;
  const pass = bad === 0 && costShare < RESOURCE_SERVER_GOAL.maxCostShare;
  const pct = (x: number) => `${round(x * 100, 1)}%`;
  const rows: Row[] = [
    { id: 'RS-a', name: '`GET /api/demo/items-unverified` (same route and payload, no token: reference)', ...summary(unverified) },
    {
      id: 'RS-b',
      name: `\`GET /api/demo/items\` bearer JWT verified + endpoint rules (${pct(verifiedRps / unverifiedRps)} of RS-a: cost ${pct(costShare)} in req/s${cpuCostShare !== undefined ? `, ${pct(cpuCostShare)} by server CPU per request` : ''})`,
      ...summary(verified),
      goal: `cost < ${RESOURCE_SERVER_GOAL.maxCostShare * 100}% of RS-a`,
      pass,
    },
    { id: 'RS-c', name: 'bare ES256 `jwtVerify` (jose, local key, one at a time, in-process)', rps: bare.perSecond, p50Ms: bare.p50Us / 1000, p99Ms: bare.p99Us / 1000, bad: 0 },
    { id: 'RS-d', name: '`guard.authorize()`, the same token again (remembered verification + rules, in-process, no HTTP)', rps: guard.perSecond, p50Ms: guard.p50Us / 1000, p99Ms: guard.p99Us / 1000, bad: 0 },
    {
      id: 'RS-e',
      name: '`guard.authorize()` with the cache off (every call verifies the signature: a new token each time, in-process)',
      rps: guardUncached.perSecond,
      p50Ms: guardUncached.p50Us / 1000,
      p99Ms: guardUncached.p99Us / 1000,
      bad: 0,
    },
  ];
  const details = [
    `- resource server: ${connections} connections, A-B-B-A (${durationS} s each after ${warmupS} s warm-up); req/s over both runs of each; p50 the median of the runs' p50, p99 the worst run's. Runs: unverified ${unverified.map((r) => round(r.rps)).join(' / ')}, verified ${verified.map((r) => round(r.rps)).join(' / ')} req/s.`,
    `- token: client_credentials of demo-service for ${url}/api/demo (${token.alg}, typ ${token.typ}, ${token.bytes} bytes), the same one on every request, as a client calling the API during a token's lifetime does: the guard verifies its signature once and remembers it (at most 60 s, never past exp); RS-e is the price of a first sight. The guard fetched the JWKS once (cached, refetched only for an unknown kid). In-process rows: ${inProcessS} s each, sequential.`,
  ];
  return { unverified, verified, unverifiedRps, verifiedRps, costShare, cpuCostShare, pass, bareEs256: bare, guardInProcess: guard, guardInProcessUncached: guardUncached, token, rows, details };
}

/** Standalone: starts the production build (NEXT_DIST_DIR) with a fresh database and runs the scenario. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string' }, warmup: { type: 'string' }, connections: { type: 'string' } } });
  const durationS = Number(values.duration ?? 10);
  const warmupS = Number(values.warmup ?? 3);
  const connections = Number(values.connections ?? 20);
  process.env.NEXT_DIST_DIR ??= '.next-bench';
  const machine = machineInfo();
  console.log(`[bench:rs] ${machine.cpuModel} × ${machine.cores}, node ${machine.node}, load ${machine.loadAverage}; build ${process.env.NEXT_DIST_DIR}`);
  const server = await startServer();
  try {
    const result = await benchResourceServer({ url: server.url, serverPid: findListeningPid(server.port), connections, durationS, warmupS });
    console.log(`\n${rowsToMarkdown(result.rows)}\n\n${result.details.join('\n')}\n- load average at the end: ${loadAverage()}\n`);
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error('The resource-server benchmark could not run:', e);
    process.exit(1);
  });
}
