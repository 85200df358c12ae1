import autocannon, { type AutocannonRequest } from 'autocannon';
import { readCpuMs } from './proc';
import { maxOf, percentile } from './stats';

export type LoadResult = {
  /** Completed responses per second over the measured phase (warm-up excluded). */
  rps: number;
  total: number;
  durationS: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses by status code, plus `error`/`timeout` for requests that got none. */
  statuses: Record<string, number>;
  /** Responses that were neither 2xx nor 3xx, plus connection errors and timeouts. */
  bad: number;
  /** Latencies per status code (ms), for runs where e.g. 303 and 503 must be told apart. */
  latencyByStatus: Record<string, { count: number; p50Ms: number; p99Ms: number; maxMs: number }>;
  /** CPU time the measured server process spent per completed response (ms). */
  serverCpuMsPerRequest: number | undefined;
  /** CPU the load generator (this process) used, as a share of one core. */
  clientCpuPercent: number;
};

export type LoadOptions = {
  url: string;
  connections: number;
  durationS: number;
  warmupS: number;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: AutocannonRequest[];
  /** Requests per second across all connections (autocannon `overallRate`). */
  overallRate?: number;
  /** The server process, to charge CPU time per request. */
  serverPid?: number;
};

/**
 * One closed-loop autocannon run (pipelining 1): each connection sends its next request when
 * the previous answer arrived. Latency percentiles are computed here from every response's
 * exact duration (autocannon's own histogram rounds to whole milliseconds).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.path ?? '/', options.url).toString();
  const latencies: number[] = [];
  const byStatus = new Map<string, number[]>();
  let startedAt = 0;
  let cpuAtStart = 0;
  let clientCpuAtStart = process.cpuUsage();

  const instance = autocannon({
    url: target,
    connections: options.connections,
    duration: options.durationS,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    requests: options.requests,
    overallRate: options.overallRate,
    // autocannon's correction uses 1/rate in ms (not 1000/rate) and would invent samples.
    ignoreCoordinatedOmission: options.overallRate ? true : undefined,
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
