/**
 * Runs bench/lib/paced-load.ts in a process of its own and prints its result as JSON: the
 * open-loop generator then shares no event loop (and no garbage collector) with the bench's
 * autocannon runs and bookkeeping, whose pauses would otherwise show up as server latency.
 *
 *   node --import tsx bench/paced-load-process.ts '<JSON options of runPacedLoad>'
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { runPacedLoad, type PacedResult } from './lib/paced-load';

type PacedOptions = Parameters<typeof runPacedLoad>[0];

/** Spawns this file with `options`; resolves with the child's result. */
export function runPacedLoadInChild(options: PacedOptions): Promise<PacedResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    execFile(process.execPath, ['--import', 'tsx', join(__dirname, 'paced-load-process.ts'), JSON.stringify(options)], { env, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`paced load failed: ${error.message}\n${stderr}`));
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return reject(new Error(`paced load printed no result:\n${stdout}\n${stderr}`));
      resolve(JSON.parse(line) as PacedResult);
    });
  });
}

if (require.main === module) {
  runPacedLoad(JSON.parse(process.argv[2] ?? '{}') as PacedOptions)
    .then((result) => console.log(JSON.stringify(result)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
