import { readFileSync } from 'node:fs';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

type Rule = { name: string; test: (f: CallFrame) => boolean };

const pkg = (name: string) => (f: CallFrame) => f.url.includes(`/node_modules/${name}/`);

/**
 * Where a sample's own (self) time goes, first matching rule wins. Native work is charged to the
 * JS frame that called into it (e.g. the ECDSA signature to node:internal/crypto/sig).
 */
const SELF_RULES: Rule[] = [
  { name: 'idle (waiting for I/O)', test: (f) => f.functionName === '(idle)' },
  { name: 'garbage collection', test: (f) => f.functionName === '(garbage collector)' },
  { name: 'V8 / native, unattributed (program)', test: (f) => f.functionName === '(program)' },
  { name: 'crypto: ES256 signing, hashing (node:crypto, jose)', test: (f) => f.url.startsWith('node:internal/crypto') || pkg('jose')(f) },
  { name: 'database (Prisma, better-sqlite3)', test: (f) => /\/node_modules\/(@prisma|prisma|better-sqlite3)\/|\/generated\/(sqlite|postgres)\//.test(f.url) },
  { name: 'oidc-provider', test: pkg('oidc-provider') },
  {
    name: 'koa and oidc-provider helpers (koa, cookies, router, …)',
    test: (f) => /\/node_modules\/(koa|koa-compose|@koa\/[^/]+|cookies|keygrip|http-errors|accepts|content-type|raw-body|statuses|type-is|negotiator|delegates|on-finished|quick-lru|nanoid|oidc-token-hash|debug)\//.test(f.url),
  },
  { name: 'Next.js (server, routing, Request/Response adaptation)', test: pkg('next') },
  { name: 'our bundled code (route handler, bridge, config, bundled deps)', test: (f) => /\/\.next[^/]*\/server\//.test(f.url) },
  { name: 'Node core (http, streams, undici, timers)', test: (f) => f.url.startsWith('node:') || f.url === '' },
  { name: 'other JS', test: () => true },
];

/** Inclusive probes: share of busy samples whose stack contains a matching frame. */
const INCLUSIVE_PROBES: Rule[] = [
  { name: 'oidc-provider (everything under provider.callback())', test: pkg('oidc-provider') },
  { name: '  client authentication (client_secret_basic)', test: (f) => f.url.includes('oidc-provider/lib/shared/client_auth') || f.url.includes('oidc-provider/lib/shared/token_auth') },
  { name: '  client_credentials grant handler', test: (f) => f.url.includes('oidc-provider/lib/actions/grants/client_credentials') },
  { name: '  JWT access token formatting (formats/jwt.js)', test: (f) => f.url.includes('oidc-provider/lib/models/formats/jwt') },
  { name: '  ECDSA/RSA sign (node:internal/crypto/sig)', test: (f) => f.url.startsWith('node:internal/crypto/sig') },
  { name: 'database (Prisma, better-sqlite3)', test: (f) => /\/node_modules\/(@prisma|prisma|better-sqlite3)\/|\/generated\/(sqlite|postgres)\//.test(f.url) },
  { name: 'bridge (toNodePair / bridgeToProvider, by function name)', test: (f) => /\/\.next[^/]*\/server\//.test(f.url) && /^(toNodePair|bridgeToProvider|readBody|callbackOf)$/.test(f.functionName) },
  { name: 'garbage collection', test: (f) => f.functionName === '(garbage collector)' },
];

export type ProfileSummary = {
  totalMs: number;
  busyMs: number;
  self: { name: string; ms: number; busyShare: number }[];
  inclusive: { name: string; ms: number; busyShare: number }[];
  topFunctions: { name: string; ms: number; busyShare: number }[];
};

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const next = /\/(\.next[^/]*\/server\/.*)$/.exec(url);
  if (next?.[1]) return next[1];
  return url || '(native)';
}

export function analyzeProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfMs = new Map<string, number>();
  const inclusiveMs = new Map<string, number>();
  const functionMs = new Map<string, number>();
  const inclusiveCache = new Map<number, Set<string>>();
  let totalMs = 0;
  let idleMs = 0;

  const probesOf = (id: number): Set<string> => {
    const cached = inclusiveCache.get(id);
    if (cached) return cached;
    const node = byId.get(id)!;
    const parentId = parent.get(id);
    const set = new Set(parentId === undefined ? [] : probesOf(parentId));
    for (const probe of INCLUSIVE_PROBES) if (probe.test(node.callFrame)) set.add(probe.name);
    inclusiveCache.set(id, set);
    return set;
  };

  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    totalMs += ms;
    const rule = SELF_RULES.find((r) => r.test(node.callFrame))!;
    selfMs.set(rule.name, (selfMs.get(rule.name) ?? 0) + ms);
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    functionMs.set(fn, (functionMs.get(fn) ?? 0) + ms);
    for (const name of probesOf(id)) inclusiveMs.set(name, (inclusiveMs.get(name) ?? 0) + ms);
  });

  const busyMs = totalMs - idleMs;
  const share = (ms: number) => (busyMs > 0 ? ms / busyMs : 0);
  return {
    totalMs,
    busyMs,
    self: SELF_RULES.map((r) => ({ name: r.name, ms: selfMs.get(r.name) ?? 0, busyShare: r.name.startsWith('idle') ? Number.NaN : share(selfMs.get(r.name) ?? 0) })).filter((r) => r.ms > 0),
    inclusive: INCLUSIVE_PROBES.map((r) => ({ name: r.name, ms: inclusiveMs.get(r.name) ?? 0, busyShare: share(inclusiveMs.get(r.name) ?? 0) })),
    topFunctions: [...functionMs.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([name, ms]) => ({ name, ms, busyShare: share(ms) })),
  };
}

export function profileToMarkdown(title: string, summary: ProfileSummary, requests: number): string {
  const pct = (x: number) => (Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`);
  const perReq = (ms: number) => (requests > 0 ? `${((ms / requests) * 1000).toFixed(0)} µs` : '—');
  const lines = [
    `### ${title}`,
    '',
    `Sampled ${summary.totalMs.toFixed(0)} ms, busy ${summary.busyMs.toFixed(0)} ms, ${requests} requests → ${perReq(summary.busyMs)} of server CPU per request.`,
    '',
    '| self time by component | ms | share of busy | per request |',
    '|---|---:|---:|---:|',
    ...summary.self.map((r) => `| ${r.name} | ${r.ms.toFixed(0)} | ${pct(r.busyShare)} | ${r.name.startsWith('idle') ? '—' : perReq(r.ms)} |`),
    '',
    '| inclusive (stack contains) | ms | share of busy | per request |',
    '|---|---:|---:|---:|',
    ...summary.inclusive.map((r) => `| ${r.name.replace(/^ {2}/, '↳ ')} | ${r.ms.toFixed(0)} | ${pct(r.busyShare)} | ${perReq(r.ms)} |`),
    '',
    '| top self-time functions | ms | share of busy |',
    '|---|---:|---:|',
    ...summary.topFunctions.map((r) => `| \`${r.name.replace(/\|/g, '\\|')}\` | ${r.ms.toFixed(0)} | ${pct(r.busyShare)} |`),
    '',
  ];
  return lines.join('\n');
}
