import { spawn } from 'node:child_process';

export type JsonChildOptions = {
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Working directory (default this process's). */
  cwd?: string;
  /** Pass the child's stderr (its progress log) through as it comes. */
  echoStderr?: boolean;
};

/**
 * Runs a bench script (`node --import tsx <script> '<JSON options>'`) in a process of its own and
 * resolves with the first JSON line it prints. NODE_OPTIONS is dropped (a profiler preload is for
 * the server only).
 */
export function runJsonChild<T>(what: string, script: string, options: unknown, child: JsonChildOptions = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...child.env };
    delete childEnv.NODE_OPTIONS;
    const proc = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(options)], { env: childEnv, cwd: child.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (child.echoStderr) process.stderr.write(d);
    });
    proc.once('error', reject);
    proc.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${what} failed (exit ${code})\n${child.echoStderr ? '' : stderr}`));
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return reject(new Error(`${what} printed no result:\n${stdout}\n${stderr}`));
      resolve(JSON.parse(line) as T);
    });
  });
}

/** The child's side: `main` gets the JSON options of argv[2]; its result is printed as one JSON line. */
export function serveJsonChild<O, R>(main: (options: O) => Promise<R>): void {
  main(JSON.parse(process.argv[2] ?? '{}') as O)
    .then((result) => {
      console.log(JSON.stringify(result));
      process.exit(0);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
