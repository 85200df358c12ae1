import { execFile } from 'node:child_process';

/**
 * Runs a bench script (`node --import tsx <script> '<JSON options>'`) in a process of its own and
 * resolves with the first JSON line it prints. NODE_OPTIONS is dropped (a profiler preload is for
 * the server only); `env` is added to this process's environment.
 */
export function runJsonChild<T>(what: string, script: string, options: unknown, env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv.NODE_OPTIONS;
    execFile(process.execPath, ['--import', 'tsx', script, JSON.stringify(options)], { env: childEnv, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${what} failed: ${error.message}\n${stderr}`));
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return reject(new Error(`${what} printed no result:\n${stdout}\n${stderr}`));
      resolve(JSON.parse(line) as T);
    });
  });
}

/** The child's side: `main` gets the JSON options of argv[2]; its result is printed as one JSON line. */
export function serveJsonChild<O, R>(main: (options: O) => Promise<R>): void {
  main(JSON.parse(process.argv[2] ?? '{}') as O)
    .then((result) => console.log(JSON.stringify(result)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
