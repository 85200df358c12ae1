/**
 * Bare argon2id (@node-rs/argon2 alone, the server's parameters) in a process of its own, so that
 * its libuv pool has exactly `threads` threads, with twice as many computations in flight: each
 * thread finds its next hash queued the moment one ends, and the cores never wait for this
 * process's event loop. That is the machine's ceiling for `threads` hashes at once; with as many
 * in flight as threads (on the default pool of 4) the cores idled ~6% of the time and the rate was
 * 8–12% lower (docs/performance-history.md, session 11). Prints its result as JSON.
 *
 *   UV_THREADPOOL_SIZE=<threads> node --import tsx bench/argon2-bare-process.ts '<JSON options>'
 */
import { join } from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import { OWASP_ARGON2ID } from './lib/argon2-bare';
import { runJsonChild, serveJsonChild } from './lib/json-child';
import { readStealShare } from './lib/proc';
import { percentile } from './lib/stats';

export type BareArgon2Options = { threads: number; durationS: number; warmupS: number; op: 'hash' | 'verify'; password: string };
export type BareArgon2Result = { perSecond: number; total: number; cpuMsPerHash: number; steal: number; p50Ms: number; p99Ms: number; threads: number; inFlight: number };

async function measure(o: BareArgon2Options): Promise<BareArgon2Result> {
  const encoded = await hash(o.password, OWASP_ARGON2ID);
  const once = o.op === 'hash' ? () => hash(o.password, OWASP_ARGON2ID) : async () => {
    if (!(await verify(encoded, o.password))) throw new Error('argon2 verify returned false');
  };
  const inFlight = 2 * o.threads;
  const run = async (seconds: number, latencies: number[] | undefined) => {
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          await once();
          latencies?.push(performance.now() - t);
        }
      }),
    );
  };
  if (o.warmupS > 0) await run(o.warmupS, undefined);
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const stealBefore = readStealShare().times;
  const start = performance.now();
  await run(o.durationS, latencies);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    perSecond: latencies.length / seconds,
    total: latencies.length,
    cpuMsPerHash: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length),
    steal: readStealShare(stealBefore).share,
    // Latency includes the wait behind the queued hash: about twice one hash's time.
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    threads: o.threads,
    inFlight,
  };
}

/** Spawns this file with `options` and a libuv pool of `options.threads`; resolves with the child's result. */
export function runBareArgon2InChild(options: BareArgon2Options): Promise<BareArgon2Result> {
  return runJsonChild<BareArgon2Result>('bare argon2id', join(__dirname, 'argon2-bare-process.ts'), options, { env: { UV_THREADPOOL_SIZE: String(options.threads) } });
}

if (require.main === module) serveJsonChild<BareArgon2Options, unknown>(measure);
