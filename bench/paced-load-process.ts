/**
 * Runs bench/lib/paced-load.ts in a process of its own and prints its result as JSON: the
 * open-loop generator then shares no event loop (and no garbage collector) with the bench's
 * autocannon runs and bookkeeping, whose pauses would otherwise show up as server latency.
 *
 *   node --import tsx bench/paced-load-process.ts '<JSON options of runPacedLoad>'
 */
import { join } from 'node:path';
import { runJsonChild, serveJsonChild } from './lib/json-child';
import { runPacedLoad, type PacedResult } from './lib/paced-load';

type PacedOptions = Parameters<typeof runPacedLoad>[0];

/** Spawns this file with `options`; resolves with the child's result. */
export function runPacedLoadInChild(options: PacedOptions): Promise<PacedResult> {
  return runJsonChild<PacedResult>('paced load', join(__dirname, 'paced-load-process.ts'), options);
}

if (require.main === module) serveJsonChild<PacedOptions, unknown>(runPacedLoad);
