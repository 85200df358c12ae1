/**
 * `npm run bench`: the foundation rows, token exchange and sign-up of one production build (or
 * two, A/B), on SQLite and on PostgreSQL, in alternating rounds; medians side by side. Throughput
 * rows are driven by wrk (a native process), each next to its bare reference in the same round:
 * client credentials against a bare oidc-provider with the same key and client, password sign-in
 * against bare argon2id, idle RSS against the bare provider's. Not a test: exit code 0 whenever
 * it ran, 1 when it cannot (no build, a server does not start). See docs/performance.md.
 *
 *   npm run bench [-- --build DIR] [--postgres URL] [--rounds 5] [--duration 8] [--quick]
 *   npm run bench -- --ab /work/wt/base /work/main [--postgres URL]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serverNodeFlags } from '../tests/support/server-process';
import { defaultHashConcurrency } from '../lib/config/env';
import { loadAverage, machineInfo } from './lib/machine';
import { machineToMarkdown } from './lib/report';
import { comparisonTable, type Column } from './lib/round-tables';
import { sleep } from './lib/stats';
import { runRound, type Database, type RoundOptions, type RoundResult } from './round';

const ROOT = resolve(__dirname, '..');
const RESULTS_DIR = join(ROOT, 'bench/results');

const USAGE = `Usage: npm run bench [-- options]
  --build DIR               the build to measure (default: this checkout)
  --ab DIR_A DIR_B          two builds, alternating within each round (A B, then B A, …); ratios B ÷ A
  --dist NAME               Next.js build folder inside each build (default $NEXT_DIST_DIR or .next)
  --postgres URL            also run every row on PostgreSQL: a scratch database per server on this
                            cluster (default $BENCH_POSTGRES_URL, or DATABASE_URL when postgres://);
                            --postgres none: SQLite only
  --rounds N                rounds per build and database (default 5; 3 with --ab)
  --duration S              seconds measured per run (default 8)
  --warmup S                seconds of warm-up before each run (default 2)
  --connections N           wrk connections for the throughput rows (default 20)
  --signin-connections N    connections for the sign-in row (default 2 × the hash cap, as bare argon2id)
  --overload-connections N  connections for the over-the-cap sign-in row (default 32)
  --idle S                  idle seconds before the RSS reading, last round only (default 30)
  --signup-warmups N        sign-ups before the sign-up window is measured (default 300)
  --no-token-exchange, --no-signup   leave those rows out
  --profile S               CPU profiles of S seconds in the last round (bench/results/profile.md)
  --server-env K=V          extra environment for the server (repeatable)
  --wait-quiet S            first wait up to S seconds for the 1-minute load average to drop below half the cores
  --quick                   smoke test: 1 round, 2 s runs, 1 s warm-up, 5 s idle, 30 warm-up sign-ups`;

type Options = {
  builds: { name: string; dir: string }[];
  databases: Database[];
  postgresUrl?: string;
  rounds: number;
  round: Omit<RoundOptions, 'label' | 'database' | 'idleS' | 'profileS'>;
  idleS: number;
  profileS: number;
  waitQuietS: number;
};

function parseOptions(): Options {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      build: { type: 'string' },
      ab: { type: 'string' },
      dist: { type: 'string' },
      postgres: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'signin-connections': { type: 'string' },
      'overload-connections': { type: 'string' },
      idle: { type: 'string' },
      'signup-warmups': { type: 'string' },
      'no-token-exchange': { type: 'boolean' },
      'no-signup': { type: 'boolean' },
      profile: { type: 'string' },
      'server-env': { type: 'string', multiple: true },
      'wait-quiet': { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const fail = (message: string): never => {
    console.error(`${message}\n\n${USAGE}`);
    process.exit(1);
  };
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (name: string, raw: string | undefined, fallback: number, min = 1) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    return Number.isFinite(n) && n >= min ? n : fail(`--${name} must be a number ≥ ${min} (got "${raw}")`);
  };
  let dirs: string[];
  if (values.ab !== undefined) {
    // --ab A B: the second directory is the first positional argument.
    if (positionals.length !== 1) fail('--ab takes two directories: --ab DIR_A DIR_B');
    dirs = [values.ab, positionals[0]!];
  } else {
    if (positionals.length) fail(`unexpected arguments: ${positionals.join(' ')}`);
    dirs = [values.build ?? ROOT];
  }
  const builds = dirs.map((d) => ({ dir: resolve(d), name: basename(resolve(d)) }));
  if (builds.length === 2 && builds[0]!.name === builds[1]!.name) builds.forEach((b, i) => (b.name = `${'AB'[i]}:${b.name}`));
  const envPostgres = process.env.BENCH_POSTGRES_URL ?? (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined);
  const postgresUrl = values.postgres === 'none' ? undefined : (values.postgres ?? envPostgres);
  const serverEnv: Record<string, string> = {};
  for (const pair of values['server-env'] ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) fail(`--server-env wants KEY=VALUE (got "${pair}")`);
    serverEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const cap = Number(serverEnv.PASSWORD_HASH_CONCURRENCY ?? process.env.PASSWORD_HASH_CONCURRENCY) || defaultHashConcurrency();
  const quick = values.quick === true;
  return {
    builds,
    databases: postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'],
    postgresUrl,
    rounds: Math.round(number('rounds', values.rounds, quick ? 1 : builds.length === 2 ? 3 : 5)),
    round: {
      postgresUrl,
      dist: values.dist ?? process.env.NEXT_DIST_DIR ?? '.next',
      durationS: number('duration', values.duration, quick ? 2 : 8),
      warmupS: number('warmup', values.warmup, quick ? 1 : 2, 0),
      connections: Math.round(number('connections', values.connections, 20)),
      signInConnections: Math.round(number('signin-connections', values['signin-connections'], 2 * cap)),
      overloadConnections: Math.round(number('overload-connections', values['overload-connections'], 32)),
      tokenExchange: !values['no-token-exchange'],
      signUp: !values['no-signup'],
      signUpWarmups: Math.round(number('signup-warmups', values['signup-warmups'], quick ? 30 : 300)),
      serverEnv,
    },
    idleS: number('idle', values.idle, quick ? 5 : 30, 0),
    profileS: number('profile', values.profile, 0, 0),
    waitQuietS: number('wait-quiet', values['wait-quiet'], 0, 0),
  };
}

function log(message: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function waitQuiet(seconds: number): Promise<void> {
  const cores = cpus().length;
  const load1 = () => Number(loadAverage().split(' ')[0]);
  const deadline = Date.now() + seconds * 1000;
  while (load1() >= cores / 2 && Date.now() < deadline) {
    log(`waiting for a quiet machine (load ${loadAverage()}, ${cores} cores) …`);
    await sleep(15_000);
  }
}

async function main(): Promise<void> {
  const o = parseOptions();
  if (o.waitQuietS > 0) await waitQuiet(o.waitQuietS);
  const machine = machineInfo();
  const started = Date.now();
  log(`machine: ${machine.cpuModel} × ${machine.cores}, node ${machine.node}, load ${machine.loadAverage}`);
  log(`builds ${o.builds.map((b) => `${b.name} (${b.dir})`).join(', ')}; ${o.databases.join(' + ')}; ${o.rounds} rounds of ${o.round.durationS} s runs`);
  const columns: Column[] = o.databases.flatMap((database) => o.builds.map((b) => ({ build: b.name, database, rounds: [] as RoundResult[] })));
  for (let index = 0; index < o.rounds; index += 1) {
    const last = index === o.rounds - 1;
    for (const database of o.databases) {
      // A B, then B A: drift on a shared machine falls on both builds alike.
      const order = index % 2 === 0 ? o.builds : [...o.builds].reverse();
      for (const build of order) {
        const label = `[round ${index + 1}/${o.rounds} ${build.name} ${database}]`;
        const result = await runRound(build.dir, { ...o.round, label, database, idleS: last ? o.idleS : 0, profileS: last && build === o.builds.at(-1) && database === 'sqlite' ? o.profileS : 0 });
        columns.find((c) => c.build === build.name && c.database === database)!.rounds.push(result);
      }
    }
  }
  const table = comparisonTable(columns);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const first = columns[0]!.rounds[0]!;
  const notes = [
    `- median of ${o.rounds} round(s) per column, ${o.round.durationS} s measured after ${o.round.warmupS} s warm-up per run; whole run ${minutes} min; each round starts its server on a fresh database (SQLite file; PostgreSQL: a scratch database on ${o.postgresUrl ?? '—'}).`,
    `- throughput rows: wrk, 1 thread, ${o.round.connections} connections (token exchange 10), sign-in ${o.round.signInConnections} connections (hash cap ${first.hashCap}; the bare argon2id process keeps 2 × cap in flight) on a fresh interaction per POST (bench/wrk/sign-in.lua).`,
    `- "· a + b pg ms": server CPU ms per request (/proc/<pid>/stat), plus the CPU of the PostgreSQL backends serving the scratch database (/proc, by process title; shared background writers excluded).`,
    `- JS drivers where wrk cannot: over-the-cap sign-in (autocannon, latency per status), half-peak token (paced open loop, own process), sign-up (multi-step flow reading mailed codes), DPoP (a fresh proof per request).`,
    `- idle RSS: last round only, after ${o.idleS} s idle; the bare oidc-provider served its token run in the same round. Load average at the end: ${loadAverage()}.`,
    `- tokens: ours ${JSON.stringify(first.tokenSample)}, bare ${JSON.stringify(first.referenceTokenSample)}.`,
  ].join('\n');
  const machineBlock = machineToMarkdown(machine, { builds: o.builds.map((b) => `${b.name} = ${b.dir}/${o.round.dist}`).join('; '), server: `node ${serverNodeFlags().join(' ')} server.mjs, NODE_ENV=production` });
  const markdown = `# Meridian ID benchmark — ${machine.date}\n\n${machineBlock}\n\n${table}\n\n${notes}\n`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'latest.md'), markdown);
  writeFileSync(join(RESULTS_DIR, 'latest.json'), JSON.stringify({ machine, options: o, columns }, null, 2));
  console.log(`\n${table}\n\n${notes}\n`);
  log('wrote bench/results/latest.md and latest.json');
}

main().catch((e: unknown) => {
  console.error('The benchmark could not run:', e);
  process.exit(1);
});
