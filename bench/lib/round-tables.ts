import type { Database, RoundResult } from '../round';
import type { LoadResult } from './wrk-load';
import { percentile } from './stats';

/** One column of the tables: a build on a database, with its rounds. */
export type Column = { build: string; database: Database; rounds: RoundResult[] };

type Kind = 'rps' | 'ms' | 'share' | 'ratio' | 'mib' | 'count';
type Metric = { name: string; kind: Kind; value: (r: RoundResult) => number | undefined; cpu?: (r: RoundResult) => { server?: number; db?: number } | undefined; goal?: { text: string; pass: (v: number) => boolean } };

const median = (values: number[]) => percentile(values, 50);

function medianOf(rounds: RoundResult[], f: (r: RoundResult) => number | undefined): number | undefined {
  const values = rounds.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length ? median(values) : undefined;
}

function format(kind: Kind, v: number | undefined): string {
  if (v === undefined) return '—';
  const n = (d: number) => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  switch (kind) {
    case 'rps':
      return `${n(v < 100 ? 1 : 0)}/s`;
    case 'ms':
      return `${n(v < 10 ? 2 : 1)} ms`;
    case 'share':
      return `${Math.round(v * 100)}%`;
    case 'ratio':
      return `${n(2)}×`;
    case 'mib':
      return `${n(0)} MiB`;
    case 'count':
      return n(0);
  }
}

const share = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? a / b : undefined);

/** The rows, each read from one round (ratios per round, then the median of the rounds). */
export function metrics(): Metric[] {
  const cpu = (l: LoadResult | undefined) => l && { server: l.serverCpuMsPerRequest, db: l.dbCpuMsPerRequest };
  const load = (key: keyof RoundResult['loads'], name: string): Metric => ({ name, kind: 'rps', value: (r) => r.loads[key].rps, cpu: (r) => cpu(r.loads[key]) });
  return [
    load('health', 'A: `GET /api/health` (framework ceiling)'),
    load('discovery', '`GET /oidc/.well-known/openid-configuration`'),
    load('jwks', '`GET /oidc/jwks`'),
    load('token', '`POST /oidc/token` client_credentials'),
    load('reference', 'B: bare oidc-provider, same key and client'),
    { name: '**client credentials ÷ bare oidc-provider**', kind: 'share', value: (r) => share(r.loads.token.rps, r.loads.reference.rps), goal: { text: '≥ 90%', pass: (v) => v >= 0.9 } },
    { name: 'token p99 at half peak, paced open loop', kind: 'ms', value: (r) => r.paced.p99Ms, goal: { text: '< 50 ms', pass: (v) => v < 50 } },
    load('signIn', 'password sign-in `POST /interaction/<uid>/login` → 303'),
    { name: 'bare argon2id verify (own process, cap threads, 2 × cap in flight)', kind: 'rps', value: (r) => r.argon2.perSecond },
    { name: '**sign-in ÷ bare argon2id**', kind: 'share', value: (r) => share(r.loads.signIn.rps, r.argon2.perSecond), goal: { text: '≥ 70%', pass: (v) => v >= 0.7 } },
    { name: 'sign-ins that did not resume the authorization (errors, 503)', kind: 'count', value: (r) => r.signIn.failed + r.loads.signIn.bad, goal: { text: '0', pass: (v) => v === 0 } },
    {
      name: 'over the hashing cap: 503 p99 ÷ 303 p50 (autocannon)',
      kind: 'ratio',
      value: (r) => share(r.loads.overload.latencyByStatus['503']?.p99Ms, r.loads.overload.latencyByStatus['303']?.p50Ms),
      goal: { text: '< 1 (excess refused fast)', pass: (v) => v < 1 },
    },
    { name: 'idle RSS after warm-up', kind: 'mib', value: (r) => r.rss.idleAfterWarmUp },
    { name: '**idle RSS after the load + idle spell**', kind: 'mib', value: (r) => r.rss.afterLoad, goal: { text: '≤ 150 MiB', pass: (v) => v <= 150 } },
    { name: 'bare oidc-provider, same moment', kind: 'mib', value: (r) => r.rss.referenceAfterLoad },
    { name: 'TX-A client_credentials (token-exchange run, 10 conn.)', kind: 'rps', value: (r) => r.tokenExchange?.clientCredentials.rps, cpu: (r) => cpu(r.tokenExchange?.clientCredentials) },
    { name: 'TX-B token exchange', kind: 'rps', value: (r) => r.tokenExchange?.tokenExchange.rps, cpu: (r) => cpu(r.tokenExchange?.tokenExchange) },
    { name: 'token exchange cost ÷ client credentials (server CPU)', kind: 'ratio', value: (r) => r.tokenExchange?.costRatio.value, goal: { text: '≤ 1.5×', pass: (v) => v <= 1.5 } },
    { name: 'TX-C PPID conversion, batches of 100', kind: 'rps', value: (r) => r.tokenExchange?.conversions.rps, cpu: (r) => cpu(r.tokenExchange?.conversions) },
    { name: 'TX-C batch p95, sequential', kind: 'ms', value: (r) => r.tokenExchange?.conversionLatency.p95Ms, goal: { text: '< 50 ms', pass: (v) => v < 50 } },
    { name: 'complete sign-ups (JSON flow API, SMTP sink; JS driver)', kind: 'rps', value: (r) => r.signUp?.signUpsPerSecond, cpu: (r) => r.signUp && { server: r.signUp.serverCpuMsPerSignUp, db: r.signUp.dbCpuMsPerSignUp } },
    { name: 'bare argon2id hash (same window)', kind: 'rps', value: (r) => r.signUp?.argon2HashesPerSecond },
    { name: '**sign-ups ÷ bare argon2id hashes**', kind: 'share', value: (r) => r.signUp?.shareOfArgon2, goal: { text: '≥ 70%', pass: (v) => v >= 0.7 } },
  ];
}

/** `0.45` or `0.45 + 0.12 pg` ms of CPU per request, median of the rounds. */
function cpuCell(rounds: RoundResult[], m: Metric): string {
  const cpu = m.cpu;
  if (!cpu) return '';
  const server = medianOf(rounds, (r) => cpu(r)?.server);
  const db = medianOf(rounds, (r) => cpu(r)?.db);
  if (server === undefined) return '';
  return ` · ${server.toFixed(2)}${db !== undefined ? ` + ${db.toFixed(2)} pg` : ''} ms`;
}

/**
 * The side-by-side table: a column per build and database (median of its rounds; throughput with
 * server CPU ms per request, plus PostgreSQL's own), then, for two builds, second ÷ first per
 * database, and for one build on both databases, PostgreSQL ÷ SQLite.
 */
export function comparisonTable(columns: Column[]): string {
  const builds = [...new Set(columns.map((c) => c.build))];
  const databases = [...new Set(columns.map((c) => c.database))];
  const col = (b: string, d: Database) => columns.find((c) => c.build === b && c.database === d);
  const heads = columns.map((c) => `${c.build} ${c.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
  const ratioHeads = builds.length === 2 ? databases.map((d) => `${builds[1]} ÷ ${builds[0]} (${d === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`) : databases.length === 2 ? ['PostgreSQL ÷ SQLite'] : [];
  const lines = [`| measurement | ${[...heads, ...ratioHeads].join(' | ')} | goal |`, `|---|${[...heads, ...ratioHeads].map(() => '---:').join('|')}|---|`];
  for (const m of metrics()) {
    const values = columns.map((c) => medianOf(c.rounds, m.value));
    if (values.every((v) => v === undefined)) continue;
    const cells = columns.map((c, i) => {
      const v = values[i];
      const mark = m.goal && v !== undefined ? (m.goal.pass(v) ? ' ✓' : ' ✗') : '';
      return `${format(m.kind, v)}${cpuCell(c.rounds, m)}${mark}`;
    });
    const ratio = (a: Column | undefined, b: Column | undefined) => {
      const x = a && medianOf(a.rounds, m.value);
      const y = b && medianOf(b.rounds, m.value);
      return x !== undefined && y !== undefined && x !== 0 ? `${(y / x).toFixed(2)}×` : '—';
    };
    const ratios = builds.length === 2 ? databases.map((d) => ratio(col(builds[0]!, d), col(builds[1]!, d))) : databases.length === 2 ? [ratio(col(builds[0]!, 'sqlite'), col(builds[0]!, 'postgres'))] : [];
    lines.push(`| ${m.name} | ${[...cells, ...ratios].join(' | ')} | ${m.goal?.text ?? ''} |`);
  }
  return lines.join('\n');
}
