import { Agent, request } from 'node:http';
import { maxOf, percentile, sleep } from './stats';

export type PacedResult = {
  targetRps: number;
  achievedRps: number;
  total: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  bad: number;
};

/**
 * Open-loop load at a fixed arrival rate: request i is due at start + i/rate, whatever happened to
 * earlier ones, and its latency counts from that due time (so client-side lateness is not hidden;
 * no coordinated omission). autocannon's `overallRate` instead lets each connection send its
 * per-second quota back to back and then pause, which turns "half the peak rate" into bursts at
 * the full rate for half of every second. Like the other measurements, it first runs `warmupS`
 * at the same rate unrecorded (connections opened, both sides' code warm).
 */
export async function runPacedLoad(options: {
  url: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  rps: number;
  durationS: number;
  warmupS?: number;
  maxSockets?: number;
}): Promise<PacedResult> {
  const target = new URL(options.path, options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers = { ...options.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  const intervalMs = 1000 / options.rps;
  const warmup = Math.round(options.rps * (options.warmupS ?? 0));
  const total = warmup + Math.round(options.rps * options.durationS);
  let measuredFrom = 0;

  const send = (dueAt: number, recorded: boolean) => {
    const p = new Promise<void>((resolve) => {
      const req = request(
        { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method, headers, agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (recorded) {
              latencies.push(performance.now() - dueAt);
              const key = String(res.statusCode);
              statuses[key] = (statuses[key] ?? 0) + 1;
            }
            resolve();
          });
        },
      );
      req.on('error', () => {
        if (recorded) statuses.error = (statuses.error ?? 0) + 1;
        resolve();
      });
      req.end(body);
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    while (sent < total && start + sent * intervalMs <= now) {
      if (sent === warmup) measuredFrom = start + sent * intervalMs;
      send(start + sent * intervalMs, sent >= warmup);
      sent += 1;
    }
    await sleep(Math.max(0, Math.min(intervalMs, start + sent * intervalMs - performance.now())));
  }
  await Promise.all([...inFlight]);
  const elapsedS = (performance.now() - (measuredFrom || start)) / 1000;
  agent.destroy();

  const good = Object.entries(statuses)
    .filter(([s]) => /^[23]\d\d$/.test(s))
    .reduce((n, [, c]) => n + c, 0);
  return {
    targetRps: options.rps,
    achievedRps: latencies.length / elapsedS,
    total: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: maxOf(latencies),
    statuses,
    bad: total - warmup - good,
  };
}
