/**
 * Bench scenario: token exchange (RFC 8693) and PPID conversion, next to client-credentials
 * grants in the same run, against a running production server. Goals (issue 5):
 *   - a token exchange costs no more than 1.5× a client-credentials grant (server CPU per
 *     request when the server's pid is known, else throughput);
 *   - a batch of 100 PPID conversions answers in under 50 ms p95.
 *
 * The main bench calls `runTokenExchangeScenario` with its server; standalone:
 *   flock /tmp/meridian-build.lock env NEXT_DIST_DIR=.next-bench npx next build
 *   NEXT_DIST_DIR=.next-bench npx tsx bench/token-exchange.ts [--duration 10 --connections 10 --config idp.config.yaml]
 *
 * What it measures (idp.config.yaml demo clients):
 *   A. client_credentials: demo-service → demo API, items:read (the main bench's token row);
 *   B. token exchange: marketplace-backend exchanges a user's demo-API access token (from a
 *      real code flow of demo-web) for a token for the pairwise orders API (impersonation);
 *   C. PPID conversion: orders-api converts batches of 100 travel-web PPIDs (of 100 accounts
 *      inserted directly) into its own; closed-loop throughput, then sequential latency.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseEnv } from '../lib/config/env';
import { computePairwiseSubject } from '../lib/domain/pairwise/pairwise-subjects';
import { createDb } from '../lib/infra/db/client';
import { createPrismaPairwiseSubjectStore } from '../lib/infra/db/prisma-pairwise-subject-store';
import { Browser, expectRedirect } from '../tests/integration/_support/browser';
import { startServer } from '../tests/support/server-process';
import { runWrk, type LoadResult } from './lib/wrk-load';
import { findListeningPid, type CpuReading } from './lib/proc';
import { rowsToMarkdown, type Row } from './lib/report';
import { percentile, round } from './lib/stats';

export const TOKEN_EXCHANGE_GOALS = { maxCostVsClientCredentials: 1.5, conversionBatchP95MaxMs: 50, conversionBatchSize: 100 };

const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const SECRETS: Record<string, string> = {
  'demo-web': 'demo-web-secret-0123456789',
  'demo-service': 'demo-service-secret-0123456789',
  'marketplace-backend': 'marketplace-backend-secret-0123456789',
  'orders-api': 'orders-api-secret-0123456789',
};
const SECTORS = { travel: 'travel.meridian.example' };

export type TokenExchangeScenarioServer = {
  url: string;
  /** The server's environment (DATABASE_URL, PAIRWISE_SALT, …). */
  env: Record<string, string>;
  cli(args: string[]): Promise<{ stdout: string; stderr: string }>;
};

export type TokenExchangeScenarioOptions = {
  connections: number;
  durationS: number;
  warmupS: number;
  /** The server process, to charge CPU per request (bench/lib/proc findListeningPid). */
  pid?: number;
  /** The database's processes (PostgreSQL backends), to charge their CPU per request. */
  dbCpu?: () => CpuReading;
  /** Sequential batches for the conversion latency percentiles (default 200). */
  latencySamples?: number;
  log?: (message: string) => void;
};

export type TokenExchangeScenarioResult = {
  clientCredentials: LoadResult;
  tokenExchange: LoadResult;
  conversions: LoadResult;
  conversionLatency: { samples: number; p50Ms: number; p95Ms: number; p99Ms: number };
  /** Cost of a token exchange relative to a client-credentials grant, and what it is based on. */
  costRatio: { value: number; basis: 'server CPU' | 'throughput' };
  rows: Row[];
};

function basic(clientId: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(SECRETS[clientId]!)}`).toString('base64')}`;
}

async function tokenEndpoint(url: string, clientId: string, params: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/oidc/token`, {
    method: 'POST',
    headers: { authorization: basic(clientId), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`token endpoint (${params.grant_type}) answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A user's JWT access token for the demo API, through demo-web's code flow (PKCE). */
async function userAccessToken(server: TokenExchangeScenarioServer): Promise<string> {
  const email = `bench-tx-${randomUUID().slice(0, 8)}@example.com`;
  const password = `bench-${randomUUID()}`;
  await server.cli(['accounts', 'create', '--email', email, '--password', password, '--region', 'JP']);
  const redirectUri = `${server.url}/demo/callback`;
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({
    client_id: 'demo-web',
    response_type: 'code',
    scope: 'openid items:read',
    resource: `${server.url}/api/demo`,
    redirect_uri: redirectUri,
    state: randomBytes(8).toString('base64url'),
    nonce: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const browser = new Browser(server.url);
  const page = await browser.navigate(`/oidc/auth?${params}`, { stopAt: redirectUri });
  if (page.kind !== 'page') throw new Error('expected the sign-in page');
  const uid = /\/interaction\/([^/?#]+)/.exec(page.url.pathname)?.[1];
  if (!uid) throw new Error(`not a sign-in page: ${page.url.href}`);
  const done = expectRedirect(await browser.navigate(`/interaction/${uid}/login`, { form: { email, password }, stopAt: redirectUri }), 'the callback');
  const code = done.location.searchParams.get('code');
  if (!code) throw new Error(`no code in ${done.location.href}`);
  const tokens = await tokenEndpoint(server.url, 'demo-web', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    resource: `${server.url}/api/demo`,
  });
  return String(tokens.access_token);
}

/** 100 accounts with travel-web PPIDs recorded, as if they had signed in there. */
async function seedTravelSubjects(server: TokenExchangeScenarioServer, count: number): Promise<string[]> {
  const env = parseEnv({ ...process.env, ...server.env });
  const db = createDb(env.databaseUrl);
  try {
    const run = randomUUID().slice(0, 8);
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const row = await db.account.create({ data: { email: `bench-ppid-${run}-${i}@example.com`, countryRegionCode: 'JP', locale: 'ja', emailVerified: true } });
      ids.push(row.id);
    }
    const ppids = ids.map((id) => computePairwiseSubject(env.pairwiseSalt, SECTORS.travel, id));
    await createPrismaPairwiseSubjectStore(() => db).record(ppids.map((ppid, i) => ({ sector: SECTORS.travel, ppid, accountId: ids[i]! })));
    return ppids;
  } finally {
    await db.$disconnect();
  }
}

async function sequentialLatency(url: string, init: RequestInit, samples: number): Promise<TokenExchangeScenarioResult['conversionLatency']> {
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const t = performance.now();
    const res = await fetch(url, init);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`conversion answered ${res.status}`);
    times.push(performance.now() - t);
  }
  return { samples, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), p99Ms: percentile(times, 99) };
}

export async function runTokenExchangeScenario(server: TokenExchangeScenarioServer, options: TokenExchangeScenarioOptions): Promise<TokenExchangeScenarioResult> {
  const log = options.log ?? ((m: string) => console.log(`[bench token-exchange] ${m}`));
  const { url } = server;
  const demo = `${url}/api/demo`;
  const orders = `${url}/api/orders`;
  const run = { url, connections: options.connections, durationS: options.durationS, warmupS: options.warmupS, serverPid: options.pid, dbCpu: options.dbCpu };
  const batch = TOKEN_EXCHANGE_GOALS.conversionBatchSize;

  log('preparing: a user access token (code flow), 100 travel-web PPIDs, an orders-api conversion token');
  const subjectToken = await userAccessToken(server);
  const ppids = await seedTravelSubjects(server, batch);
  const conversionToken = String((await tokenEndpoint(url, 'orders-api', { grant_type: 'client_credentials', resource: `${url}/api/ppid`, scope: 'ppid:convert' })).access_token);

  const clientCredentialsRequest = {
    method: 'POST',
    path: '/oidc/token',
    headers: { authorization: basic('demo-service'), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: demo, scope: 'items:read' }).toString(),
  };
  const exchangeParams = { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, audience: orders, scope: 'orders:read' };
  const exchangeRequest = {
    method: 'POST',
    path: '/oidc/token',
    headers: { authorization: basic('marketplace-backend'), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(exchangeParams).toString(),
  };
  const conversionBody = JSON.stringify({ source_client_id: 'travel-web', subjects: ppids });
  const conversionRequest = {
    method: 'POST',
    path: '/api/ppid/convert',
    headers: { authorization: `Bearer ${conversionToken}`, 'content-type': 'application/json' },
    body: conversionBody,
  };

  // Sanity: each request works once (and the PPID cache is warm, as in steady state).
  await tokenEndpoint(url, 'marketplace-backend', exchangeParams);
  const check = await fetch(`${url}${conversionRequest.path}`, conversionRequest);
  const converted = (await check.json()) as { subjects?: { target: string | null }[] };
  if (check.status !== 200 || converted.subjects?.filter((s) => s.target).length !== batch) {
    throw new Error(`conversion check failed: ${check.status} ${JSON.stringify(converted).slice(0, 300)}`);
  }

  const describe = (label: string, r: LoadResult) =>
    log(
      `${label}: ${round(r.rps)} req/s, p50 ${round(r.p50Ms, 2)} ms, p99 ${round(r.p99Ms, 2)} ms, ${JSON.stringify(r.statuses)}` +
        (r.serverCpuMsPerRequest !== undefined ? `, server CPU ${round(r.serverCpuMsPerRequest, 2)} ms/req` : ''),
    );
  log('A: client_credentials …');
  const clientCredentials = await runWrk({ ...run, ...clientCredentialsRequest });
  describe('A: client_credentials', clientCredentials);
  log('B: token exchange …');
  const tokenExchange = await runWrk({ ...run, ...exchangeRequest });
  describe('B: token exchange', tokenExchange);
  log(`C: PPID conversion, batches of ${batch} …`);
  const conversions = await runWrk({ ...run, ...conversionRequest });
  describe('C: PPID conversion (per batch)', conversions);
  const conversionLatency = await sequentialLatency(`${url}${conversionRequest.path}`, conversionRequest, options.latencySamples ?? 200);
  log(`C: sequential batches: p50 ${round(conversionLatency.p50Ms, 2)} ms, p95 ${round(conversionLatency.p95Ms, 2)} ms, p99 ${round(conversionLatency.p99Ms, 2)} ms`);

  const cpuA = clientCredentials.serverCpuMsPerRequest;
  const cpuB = tokenExchange.serverCpuMsPerRequest;
  const costRatio =
    cpuA !== undefined && cpuB !== undefined && cpuA > 0
      ? { value: cpuB / cpuA, basis: 'server CPU' as const }
      : { value: clientCredentials.rps / tokenExchange.rps, basis: 'throughput' as const };
  const tokenExchangeOk = tokenExchange.bad === 0 && costRatio.value <= TOKEN_EXCHANGE_GOALS.maxCostVsClientCredentials;
  const conversionOk = conversions.bad === 0 && conversionLatency.p95Ms < TOKEN_EXCHANGE_GOALS.conversionBatchP95MaxMs;

  const rows: Row[] = [
    {
      id: 'TX-A',
      name: '`POST /oidc/token` client_credentials (same run, baseline)',
      rps: clientCredentials.rps,
      p50Ms: clientCredentials.p50Ms,
      p99Ms: clientCredentials.p99Ms,
      bad: clientCredentials.bad,
      cpuMsPerRequest: cpuA,
    },
    {
      id: 'TX-B',
      name: `\`POST /oidc/token\` token exchange (impersonation → pairwise orders API): ${round(costRatio.value, 2)}× TX-A by ${costRatio.basis}`,
      rps: tokenExchange.rps,
      p50Ms: tokenExchange.p50Ms,
      p99Ms: tokenExchange.p99Ms,
      bad: tokenExchange.bad,
      cpuMsPerRequest: cpuB,
      goal: `≤ ${TOKEN_EXCHANGE_GOALS.maxCostVsClientCredentials}× TX-A`,
      pass: tokenExchangeOk,
    },
    {
      id: 'TX-C',
      name: `\`POST /api/ppid/convert\` batches of ${batch}: ${round(conversions.rps * batch)} conversions/s; sequential p95 ${round(conversionLatency.p95Ms, 1)} ms`,
      rps: conversions.rps,
      p50Ms: conversions.p50Ms,
      p99Ms: conversions.p99Ms,
      bad: conversions.bad,
      cpuMsPerRequest: conversions.serverCpuMsPerRequest,
      goal: `batch p95 < ${TOKEN_EXCHANGE_GOALS.conversionBatchP95MaxMs} ms`,
      pass: conversionOk,
    },
  ];
  return { clientCredentials, tokenExchange, conversions, conversionLatency, costRatio, rows };
}

/** Standalone: start the production build, run the scenario, print the table. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string' }, warmup: { type: 'string' }, connections: { type: 'string' }, config: { type: 'string' } } });
  const server = await startServer(values.config ? { env: { IDP_CONFIG: values.config } } : {});
  try {
    const pid = findListeningPid(server.port);
    const result = await runTokenExchangeScenario(server, {
      connections: Number(values.connections ?? 10),
      durationS: Number(values.duration ?? 10),
      warmupS: Number(values.warmup ?? 3),
      pid,
    });
    console.log(`\n${rowsToMarkdown(result.rows)}\n`);
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
