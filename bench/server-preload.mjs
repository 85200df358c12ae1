// Preloaded into the server by bench/run.ts (NODE_OPTIONS=--import …). Does nothing until the
// process receives SIGUSR2: the first signal starts the V8 CPU profiler, the second stops it and
// writes the profile to $BENCH_PROFILE_DIR/<name>.cpuprofile, where <name> is read from
// $BENCH_PROFILE_DIR/next-name (so only the measured load is profiled, not start-up).
// SIGWINCH writes process.memoryUsage() to $BENCH_PROFILE_DIR/memory.json (V8 heap vs the rest of RSS),
// plus the heap still used after a forced full GC (live data, as opposed to garbage not yet collected).
import { Session } from 'node:inspector';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  process.on('SIGWINCH', () => {
    const file = join(dir, 'memory.json');
    const usage = process.memoryUsage();
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc');
    gc();
    const afterGc = process.memoryUsage();
    writeFileSync(`${file}.tmp`, JSON.stringify({ ...usage, heapUsedAfterGc: afterGc.heapUsed, rssAfterGc: afterGc.rss }));
    renameSync(`${file}.tmp`, file);
  });
  let session;
  process.on('SIGUSR2', () => {
    if (!session) {
      session = new Session();
      session.connect();
      session.post('Profiler.enable', () => {
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start'));
      });
      return;
    }
    const current = session;
    session = undefined;
    current.post('Profiler.stop', (error, result) => {
      let name = 'server';
      try {
        name = readFileSync(join(dir, 'next-name'), 'utf8').trim() || name;
      } catch {
        // default name
      }
      if (!error) {
        const file = join(dir, `${name}.cpuprofile`);
        writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
        renameSync(`${file}.tmp`, file);
      }
      current.disconnect();
    });
  });
}
