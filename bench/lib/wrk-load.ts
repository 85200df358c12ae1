import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cpuSpentMs, readCpuMs, waitUntilIdle, type CpuReading } from './proc';

const WRK = process.env.WRK ?? '/usr/bin/wrk';
const WRK_DIR = resolve(__dirname, '../wrk');

export type LoadResult = {
  /** Completed responses per second over the measured phase (warm-up excluded). */
  rps: number;
  total: number;
  durationS: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses by status code (or class, when only wrk's error count is known), plus `error`/`timeout`. */
  statuses: Record<string, number>;
  /** Responses that were neither 2xx nor 3xx, plus connection errors and timeouts. */
  bad: number;
  /** Latencies per status code, where the load generator can tell them apart (bench/lib/scripted-load.ts). */
  latencyByStatus: Record<string, { count: number; p50Ms: number; p99Ms: number; maxMs: number }>;
  /** CPU time the measured server process spent per completed response (ms). */
  serverCpuMsPerRequest: number | undefined;
  /** CPU time of the database's own processes (PostgreSQL backends) per completed response (ms). */
  dbCpuMsPerRequest?: number;
  /** CPU the load generator used, as a share of one core. */
  clientCpuPercent: number;
  /** A scenario script's counters (e.g. sign-ins that resumed the authorization). */
  counters?: Record<string, number>;
};

export type WrkOptions = {
  url: string;
  connections: number;
  durationS: number;
  warmupS: number;
  /** wrk threads (default 1: one thread drives 20 connections at several 10,000 req/s, and leaves a core to the server). */
  threads?: number;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** A scenario script in bench/wrk/ (its own `request`/`response`), and its arguments, one per measured or warm-up run. */
  script?: { file: string; args: string[]; warmupArgs?: string[]; globals?: Record<string, string> };
  /** The server process, to charge CPU time per request. */
  serverPid?: number;
  /** The database's processes (bench/lib/proc.ts readPostgresBackendsCpu), to charge their CPU per request. */
  dbCpu?: () => CpuReading;
};

/** A Lua string literal for any bytes (decimal escapes: Lua 5.1 has no \u). */
function luaString(value: string): string {
  return `"${[...Buffer.from(value)].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${String(b).padStart(3, '0')}`)).join('')}"`;
}

type WrkReport = { durationUs: number; requests: number; connect: number; read: number; write: number; status: number; timeout: number; p50Us: number; p99Us: number; maxUs: number; counters: Record<string, number> };

/** wrk connects to 127.0.0.1 (a bare server may listen on IPv4 only) and sends the URL's own Host. */
function target(url: string, path: string): { connectUrl: string; host: string } {
  const u = new URL(path, url);
  const host = u.host;
  if (u.hostname === 'localhost') u.hostname = '127.0.0.1';
  return { connectUrl: u.toString(), host };
}

function script(options: WrkOptions, host: string, report: string): string {
  const lines = [`REPORT = ${luaString(report)}`, `THREADS = ${options.threads ?? 1}`, `wrk.method = ${luaString(options.method ?? 'GET')}`, `wrk.headers["Host"] = ${luaString(host)}`];
  for (const [k, v] of Object.entries(options.headers ?? {})) lines.push(`wrk.headers[${luaString(k)}] = ${luaString(v)}`);
  if (options.body !== undefined) lines.push(`wrk.body = ${luaString(options.body)}`);
  for (const [k, v] of Object.entries(options.script?.globals ?? {})) lines.push(`${k} = ${luaString(v)}`);
  const parts = [lines.join('\n')];
  if (options.script) parts.push(readFileSync(join(WRK_DIR, options.script.file), 'utf8'));
  parts.push(readFileSync(join(WRK_DIR, 'report.lua'), 'utf8'));
  return parts.join('\n');
}

/** One wrk process for `seconds`; resolves with its report and the CPU it used (read from /proc while it runs). */
async function wrk(options: WrkOptions, seconds: number, args: string[]): Promise<{ report: WrkReport; cpuMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-wrk-'));
  try {
    const report = join(dir, 'report.json');
    const { connectUrl, host } = target(options.url, options.path ?? '/');
    writeFileSync(join(dir, 'run.lua'), script(options, host, report));
    const argv = ['-t', String(options.threads ?? 1), '-c', String(options.connections), '-d', `${seconds}s`, '--timeout', '30s', '-s', join(dir, 'run.lua'), connectUrl, ...(args.length ? ['--', ...args] : [])];
    const child = spawn(WRK, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // wrk's own CPU: the last /proc reading before it exits (every 250 ms; its final moments are idle).
    let cpuMs = 0;
    const poll = setInterval(() => {
      try {
        if (child.pid) cpuMs = readCpuMs(child.pid);
      } catch {
        // exited
      }
    }, 250);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    clearInterval(poll);
    let text = '';
    try {
      text = readFileSync(report, 'utf8');
    } catch {
      throw new Error(`wrk ${argv.join(' ')} exited with ${code} and wrote no report:\n${output}`);
    }
    return { report: JSON.parse(text) as WrkReport, cpuMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One closed-loop wrk run (each connection sends its next request when the previous answer
 * arrived): a warm-up run, then the measured one. wrk is a native process that uses a fraction of
 * the CPU an in-process JavaScript generator does, so on a two-core machine more of the cores is
 * left to the server being measured. Server (and database) CPU per request is read from /proc
 * around the measured run.
 */
export async function runWrk(options: WrkOptions): Promise<LoadResult> {
  if (options.warmupS > 0) {
    await wrk(options, options.warmupS, options.script?.warmupArgs ?? options.script?.args ?? []);
    // The warm-up's last requests are still in the server (wrk dropped their connections).
    if (options.serverPid) await waitUntilIdle(options.serverPid);
  }
  const serverBefore = options.serverPid ? readCpuMs(options.serverPid) : 0;
  const dbBefore = options.dbCpu?.();
  const { report: r, cpuMs } = await wrk(options, options.durationS, options.script?.args ?? []);
  const serverMs = options.serverPid ? readCpuMs(options.serverPid) - serverBefore : undefined;
  const dbMs = dbBefore && options.dbCpu ? cpuSpentMs(dbBefore, options.dbCpu()) : undefined;
  const durationS = r.durationUs / 1e6;
  const errors = r.connect + r.read + r.write;
  const statuses: Record<string, number> = { '2xx/3xx': r.requests - r.status };
  if (r.status) statuses['4xx/5xx'] = r.status;
  if (errors) statuses.error = errors;
  if (r.timeout) statuses.timeout = r.timeout;
  const per = (ms: number | undefined) => (ms !== undefined && r.requests > 0 ? ms / r.requests : undefined);
  return {
    rps: r.requests / durationS,
    total: r.requests,
    durationS,
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    statuses,
    bad: r.status + errors + r.timeout,
    latencyByStatus: {},
    serverCpuMsPerRequest: per(serverMs),
    ...(dbMs !== undefined ? { dbCpuMsPerRequest: per(dbMs) } : {}),
    clientCpuPercent: (cpuMs / (durationS * 1000)) * 100,
    ...(Object.keys(r.counters).length ? { counters: r.counters } : {}),
  };
}
