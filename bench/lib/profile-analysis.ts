import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** A frame with its source resolved: bundled server chunks are mapped back through their .map files. */
type Frame = { functionName: string; source: string; line: number };

type Rule = { name: string; test: (f: Frame) => boolean };

const inPackage = (...names: string[]) => {
  const re = new RegExp(`(^|/)node_modules/(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})/`);
  return (f: Frame) => re.test(f.source);
};
const OTHER_PACKAGES: Rule = { name: 'other packages (zod, next-intl, …)', test: (f) => f.source.includes('node_modules/') };
/** `@scope/name` or `name` of the last node_modules/ in a path. */
const packageOf = (source: string) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1] ?? source;
const isOurs = (f: Frame) => /^(lib|app)\//.test(f.source) && !f.source.startsWith('lib/infra/db/generated/');
const isNodeCore = (f: Frame) => f.source.startsWith('node:') || f.source === '';

/**
 * Who a sample's CPU time is for: starting at the sampled frame, walk up the stack to the first
 * frame that belongs to an owner below. Node core and native frames have no owner, so socket
 * writes, stream and Web API work are charged to the code that asked for them (Next.js, the
 * bridge, oidc-provider, …). ECDSA signing via WebCrypto runs on the libuv pool, outside this
 * (main-thread) profile: only its JS-side preparation shows up, under "JWS signing".
 */
const OWNERS: Rule[] = [
  {
    name: 'database (Prisma client + WASM query compiler, better-sqlite3, pg, our direct SQL executors)',
    test: (f) => f.source.startsWith('wasm://') || inPackage('@prisma', 'prisma', 'better-sqlite3', 'pg', 'pg-protocol')(f) || /^lib\/infra\/db\/(generated\/|sqlite-executor|postgres-executor)/.test(f.source),
  },
  { name: 'JWS signing (jose → WebCrypto, main-thread part)', test: inPackage('jose') },
  { name: 'oidc-provider + koa', test: inPackage('oidc-provider', 'koa', 'koa-compose', '@koa', 'cookies', 'keygrip', 'http-errors', 'statuses', 'debug') },
  { name: 'our code (lib/, app/)', test: isOurs },
  { name: 'Next.js (server, router, app-route runtime, Request/Response adapters)', test: inPackage('next', '@next', 'react', 'react-dom', 'react-server-dom-turbopack') },
  OTHER_PACKAGES,
];
const NO_OWNER = 'Node core with no JS caller on the stack (socket I/O, timers, stream callbacks)';
const SPECIAL = new Map([
  ['(idle)', 'idle'],
  ['(garbage collector)', 'garbage collection'],
  ['(program)', 'V8 / native, unattributed'],
]);

/** Inclusive probes: busy time whose stack contains a matching frame (async hops cut stacks short). */
const PROBES: Rule[] = [
  { name: 'oidc-provider: client authentication (client_secret_basic)', test: (f) => f.source.includes('oidc-provider/lib/shared/client_auth') },
  { name: 'oidc-provider: client_credentials grant handler', test: (f) => f.source.includes('oidc-provider/lib/actions/grants/client_credentials') },
  { name: 'oidc-provider: JWT access token (formats/jwt.js)', test: (f) => f.source.includes('oidc-provider/lib/models/formats/jwt') },
  { name: 'oidc-provider: interaction result / details (provider.js)', test: (f) => f.source.includes('oidc-provider/lib/provider.js') },
  { name: 'bridge (lib/protocol/bridge.ts)', test: (f) => f.source === 'lib/protocol/bridge.ts' },
  { name: 'password sign-in use case (lib/domain/sign-in)', test: (f) => f.source.startsWith('lib/domain/sign-in/') },
  { name: 'database (Prisma, better-sqlite3)', test: OWNERS[0]!.test },
];

const maps = new Map<string, SourceMap | null>();

function sourceMapFor(path: string): SourceMap | null {
  let map = maps.get(path);
  if (map === undefined) {
    map = null;
    try {
      if (existsSync(`${path}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      map = null;
    }
    maps.set(path, map);
  }
  return map;
}

export function resolveFrame(cf: CallFrame, root: string): Frame {
  let source = cf.url;
  let line = cf.lineNumber + 1;
  if (source.startsWith('file://')) {
    const path = fileURLToPath(source);
    source = path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
    if (/^\.next[^/]*\/server\//.test(source)) {
      const entry = sourceMapFor(path)?.findEntry(cf.lineNumber, cf.columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
      if (entry?.originalSource) {
        // Turbopack writes sources relative to the chunk, e.g. ../../../lib/protocol/bridge.ts.
        source = entry.originalSource.replace(/^(\.\.\/)+/, '').replace(/^turbopack:\/\/\/\[project\]\//, '');
        line = (entry.originalLine ?? 0) + 1;
      }
    }
  }
  return { functionName: cf.functionName, source, line };
}

export type ProfileSummary = {
  totalMs: number;
  busyMs: number;
  owners: { name: string; ms: number }[];
  ourFiles: { name: string; ms: number }[];
  /** The heaviest packages of the "other packages" owner. */
  otherPackages: { name: string; ms: number }[];
  probes: { name: string; ms: number }[];
  topFunctions: { name: string; ms: number }[];
};

export function analyzeProfile(file: string, root: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((n) => [n.id, resolveFrame(n.callFrame, root)]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const stackOf = (id: number): Frame[] => {
    const stack: Frame[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) stack.push(frames.get(cur)!);
    return stack;
  };

  const add = (m: Map<string, number>, k: string, ms: number) => m.set(k, (m.get(k) ?? 0) + ms);
  const owners = new Map<string, number>();
  const ourFiles = new Map<string, number>();
  const otherPackages = new Map<string, number>();
  const probes = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;

  profile.samples.forEach((id, i) => {
    // timeDeltas[i + 1] is the time until the next sample (as Chrome DevTools charges it); the
    // first delta (profiler start to first sample) is start-up noise and is dropped.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = frames.get(id);
    if (!leaf) return;
    totalMs += ms;
    const special = SPECIAL.get(leaf.functionName);
    if (special === 'idle') {
      idleMs += ms;
      return;
    }
    const stack = stackOf(id);
    if (special) add(owners, special, ms);
    else {
      let owner = NO_OWNER;
      for (const f of stack) {
        if (isNodeCore(f)) continue;
        const rule = OWNERS.find((r) => r.test(f));
        if (rule) {
          owner = rule.name;
          if (isOurs(f)) add(ourFiles, f.source, ms);
          else if (rule === OTHER_PACKAGES) add(otherPackages, packageOf(f.source), ms);
          break;
        }
      }
      add(owners, owner, ms);
    }
    for (const probe of PROBES) if (stack.some((f) => probe.test(f))) add(probes, probe.name, ms);
    const fn = `${leaf.functionName || '(anonymous)'} ${leaf.source.replace(/^.*node_modules\//, '') || '(native)'}${leaf.source ? `:${leaf.line}` : ''}`;
    add(functions, fn, ms);
  });

  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms }));
  return {
    totalMs,
    busyMs: totalMs - idleMs,
    owners: sorted(owners),
    ourFiles: sorted(ourFiles),
    otherPackages: sorted(otherPackages).slice(0, 10),
    probes: PROBES.map((p) => ({ name: p.name, ms: probes.get(p.name) ?? 0 })).filter((p) => p.ms > 0),
    topFunctions: sorted(functions).slice(0, 15),
  };
}

export function profileToMarkdown(title: string, s: ProfileSummary, requests: number): string {
  const pct = (ms: number) => `${((ms / s.busyMs) * 100).toFixed(1)}%`;
  const perReq = (ms: number) => (requests > 0 ? `${Math.round((ms / requests) * 1000)} µs` : '—');
  const table = (heading: string, rows: { name: string; ms: number }[], code = false) => [
    `| ${heading} | ms | share of busy | per request |`,
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${code ? `\`${r.name.replace(/\|/g, '\\|')}\`` : r.name} | ${r.ms.toFixed(0)} | ${pct(r.ms)} | ${perReq(r.ms)} |`),
    '',
  ];
  return [
    `### ${title}`,
    '',
    `Main thread sampled for ${s.totalMs.toFixed(0)} ms, busy ${s.busyMs.toFixed(0)} ms, ${requests} responses: ${perReq(s.busyMs)} of main-thread CPU per request (work on the libuv pool — WebCrypto signing, argon2id — is not in it).`,
    '',
    ...table('CPU by owner (nearest non-Node frame on the stack)', s.owners),
    ...(s.ourFiles.length ? table('↳ our code by file', s.ourFiles, true) : []),
    ...(s.otherPackages.length ? table('↳ other packages by package', s.otherPackages, true) : []),
    ...(s.probes.length ? table('inclusive: stack contains', s.probes) : []),
    ...table('top self-time functions', s.topFunctions, true),
  ].join('\n');
}
