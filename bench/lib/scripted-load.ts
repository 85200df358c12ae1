import autocannon, { type AutocannonRequest } from 'autocannon';
import { readCpuMs } from './proc';
import type { LoadResult } from './wrk-load';
import { maxOf, percentile } from './stats';

export type ScriptedLoadOptions = {
  url: string;
  connections: number;
  durationS: number;
  warmupS: number;
  /** Each request built in JavaScript when it is sent (a fresh DPoP proof, its own interaction). */
  requests: AutocannonRequest[];
  /** The server process, to charge CPU time per request. */
  serverPid?: number;
};

/**
 * One closed-loop autocannon run (pipelining 1), in this process, for the flows wrk
 * (bench/lib/wrk-load.ts, the throughput rows) cannot drive: requests that JavaScript builds as
 * they go (a freshly signed DPoP proof each), or runs that need latency per status code (the
 * sign-in over the hashing cap: 303 against 503). It shares the cores with the server, so its
 * req/s are not comparable with wrk's. Latency percentiles come from every response's exact
 * duration (autocannon's own histogram rounds to whole milliseconds).
 */
export async function runScriptedLoad(options: ScriptedLoadOptions): Promise<LoadResult> {
  const target = new URL('/', options.url).toString();
  const latencies: number[] = [];
  const byStatus = new Map<string, number[]>();
  let startedAt = 0;
  let cpuAtStart = 0;
  let clientCpuAtStart = process.cpuUsage();

  const instance = autocannon({
    url: target,
    connections: options.connections,
    duration: options.durationS,
    requests: options.requests,
    timeout: 30,
    warmup: options.warmupS > 0 ? { connections: options.connections, duration: options.warmupS } : undefined,
  });
  instance.on('start', () => {
    startedAt = performance.now();
    if (options.serverPid) cpuAtStart = readCpuMs(options.serverPid);
    clientCpuAtStart = process.cpuUsage();
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
    latencies.push(responseTimeMs);
    const key = String(statusCode);
    let list = byStatus.get(key);
    if (!list) byStatus.set(key, (list = []));
    list.push(responseTimeMs);
  });

  const result = await instance;
  const elapsedS = (performance.now() - startedAt) / 1000;
  const serverCpuMs = options.serverPid ? readCpuMs(options.serverPid) - cpuAtStart : undefined;
  const clientCpu = process.cpuUsage(clientCpuAtStart);

  const statuses: Record<string, number> = {};
  const latencyByStatus: LoadResult['latencyByStatus'] = {};
  let good = 0;
  for (const [status, list] of [...byStatus.entries()].sort()) {
    statuses[status] = list.length;
    latencyByStatus[status] = { count: list.length, p50Ms: percentile(list, 50), p99Ms: percentile(list, 99), maxMs: maxOf(list) };
    if (/^[23]\d\d$/.test(status)) good += list.length;
  }
  if (result.errors) statuses.error = result.errors;
  if (result.timeouts) statuses.timeout = result.timeouts;

  return {
    rps: latencies.length / elapsedS,
    total: latencies.length,
    durationS: elapsedS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statuses,
    bad: latencies.length - good + result.errors + result.timeouts,
    latencyByStatus,
    serverCpuMsPerRequest: serverCpuMs !== undefined && latencies.length > 0 ? serverCpuMs / latencies.length : undefined,
    clientCpuPercent: ((clientCpu.user + clientCpu.system) / 1000 / (elapsedS * 1000)) * 100,
  };
}
