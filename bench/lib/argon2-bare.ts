import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { percentile } from './stats';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (the server's parameters). */
export const OWASP_ARGON2ID: Options = {
  // Algorithm is an ambient const enum (not usable under isolatedModules): 2 = Argon2id.
  algorithm: 2 as Algorithm,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

/** `m=…,t=…,p=…` of a PHC string, to check that the server hashes with the same parameters. */
export function phcParams(phc: string): string | undefined {
  return /\$argon2id\$v=\d+\$(m=\d+,t=\d+,p=\d+)\$/.exec(phc)?.[1];
}

export type Argon2Result = { perSecond: number; total: number; p50Ms: number; p99Ms: number; threadpool: string };

/**
 * In-process argon2id verifications, `concurrency` in flight at once (each on a libuv thread),
 * for `durationS` after `warmupS`: the ceiling for password sign-ins on this machine.
 */
export async function benchArgon2Verify(options: { concurrency: number; durationS: number; warmupS: number; password: string }): Promise<Argon2Result> {
  const encoded = await hash(options.password, OWASP_ARGON2ID);
  const run = async (seconds: number, record: number[] | undefined) => {
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          if (!(await verify(encoded, options.password))) throw new Error('argon2 verify returned false');
          record?.push(performance.now() - t);
        }
      }),
    );
  };
  await run(options.warmupS, undefined);
  const latencies: number[] = [];
  const start = performance.now();
  await run(options.durationS, latencies);
  const elapsedS = (performance.now() - start) / 1000;
  return {
    perSecond: latencies.length / elapsedS,
    total: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    threadpool: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
  };
}
