import { type ChildProcess, spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(process.cwd());
const execFileAsync = promisify(execFile);

export type RunningServer = {
  url: string;
  port: number;
  env: Record<string, string>;
  /** Runs the operator CLI against this server's database and config. */
  cli(args: string[]): Promise<{ stdout: string; stderr: string }>;
  stop(): Promise<void>;
  /** SIGKILL, as a crash or an OOM kill would end it: no shutdown code runs. */
  kill(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** A fresh SQLite file in a temp dir, or the given URL (PostgreSQL runs use a scratch database). */
export function scratchSqliteUrl(): string {
  return `file:${join(mkdtempSync(join(tmpdir(), 'meridian-test-')), 'meridian.db')}`;
}

/** The Node flags `npm start` gives server.mjs (package.json config.serverNodeOptions). */
export function serverNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { config?: { serverNodeOptions?: string } };
  return (pkg.config?.serverNodeOptions ?? '').split(/\s+/).filter(Boolean);
}

function runCli(env: Record<string, string>, args: string[]) {
  return execFileAsync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/idp.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/oidc/.well-known/openid-configuration`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not become ready:\n${output()}`);
}

/**
 * Starts the production build (`node <serverNodeOptions> server.mjs`) on a free port with a
 * migrated database, exactly as `npm start` does. Requires `npm run build` first.
 */
export async function startServer(options: { databaseUrl?: string; env?: Record<string, string>; port?: number } = {}): Promise<RunningServer> {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (!existsSync(join(ROOT, distDir, 'BUILD_ID'))) throw new Error(`No production build in ${distDir}: run \`npm run build\` first`);
  const port = options.port ?? (await freePort());
  const url = `http://localhost:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    MERIDIAN_DEV_SECRETS: '1',
    PORT: String(port),
    PUBLIC_URL: url,
    DATABASE_URL: options.databaseUrl ?? scratchSqliteUrl(),
    IDP_CONFIG: join(ROOT, 'idp.config.yaml'),
    ...options.env,
  };
  await runCli(env, ['migrate']);
  let output = '';
  const child = spawn(process.execPath, [...serverNodeFlags(), join(ROOT, 'server.mjs')], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await waitUntilReady(url, child, () => output);
  } catch (e) {
    // Do not leave a half-started server behind (it would outlive the test run).
    child.kill('SIGKILL');
    throw e;
  }
  return {
    url,
    port,
    env,
    cli: (args) => runCli(env, args),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
