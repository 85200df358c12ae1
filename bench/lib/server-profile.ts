import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './stats';

/**
 * Profiles the server (started with bench/server-preload.mjs, which toggles V8's CPU profiler on
 * SIGUSR2 and writes `<profileDir>/<name>.cpuprofile`) while `load` runs.
 */
export async function profileServer<T>(profileDir: string, pid: number, name: string, load: () => Promise<T>): Promise<{ result: T; file: string }> {
  const file = join(profileDir, `${name}.cpuprofile`);
  rmSync(file, { force: true });
  writeFileSync(join(profileDir, 'next-name'), name);
  process.kill(pid, 'SIGUSR2');
  await sleep(200);
  const result = await load();
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 30_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the server wrote no profile ${file}`);
    await sleep(100);
  }
  return { result, file };
}
