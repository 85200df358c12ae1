import { type ChildProcess, spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(process.cwd());
const execFileAsync = promisify(execFile);

export type RunningServer = {
  url: string;
  port: number;
  env: Record<string, string>;
  /** What the server printed so far (stdout and stderr). */
  output(): string;
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

/** How the production build is served: our server.mjs (`npm start`), or Next.js' own `next start` without it. */
export type ServedBy = 'server.mjs' | 'next start';

function serverCommand(servedBy: ServedBy, port: number): string[] {
  if (servedBy === 'server.mjs') return [...serverNodeFlags(), join(ROOT, 'server.mjs')];
  return [join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port)];
}

/**
 * Starts the production build (`node <serverNodeOptions> server.mjs`) on a free port with a
 * migrated database, exactly as `npm start` does, or with `servedBy: 'next start'` under Next.js'
 * own server. Requires `npm run build` first.
 */
export async function startServer(options: { databaseUrl?: string; env?: Record<string, string>; port?: number; servedBy?: ServedBy } = {}): Promise<RunningServer> {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (!existsSync(join(ROOT, distDir, 'BUILD_ID'))) throw new Error(`No production build in ${distDir}: run \`npm run build\` first`);
  const port = options.port ?? (await freePort());
  const url = `http://localhost:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    // The shipped config's published client secrets (refused in production otherwise)…
    MERIDIAN_DEV_SECRETS: '1',
    // …and demo mode: the /demo and /api/demo routes that tests and benches use (else 404).
    MERIDIAN_DEMO: '1',
    PORT: String(port),
    PUBLIC_URL: url,
    DATABASE_URL: options.databaseUrl ?? scratchSqliteUrl(),
    IDP_CONFIG: join(ROOT, 'idp.config.yaml'),
    ...options.env,
  };
  await runCli(env, ['migrate']);
  let output = '';
  const child = spawn(process.execPath, serverCommand(options.servedBy ?? 'server.mjs', port), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
    output: () => output,
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

export type RefusedStart = {
  /** null when it was still running at the deadline (then it was killed). */
  exitCode: number | null;
  output: string;
  /** Whether anything ever accepted a TCP connection on its port while it ran. */
  acceptedConnection: boolean;
};

/** Secrets and the demo switch the test runner's own environment must not lend to the server. */
const WITHHELD_ENV = ['MERIDIAN_DEV_SECRETS', 'COOKIE_SECRETS', 'PAIRWISE_SALT', 'KEY_ENCRYPTION_KEY'];

function probe(port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolveProbe(true);
    });
    socket.once('error', () => resolveProbe(false));
  });
}

/**
 * Runs `node server.mjs` (or `next start`, `servedBy`) (production build, NODE_ENV=production, no MERIDIAN_DEV_SECRETS unless
 * `env` sets it) for a start that should be refused: resolves when it exits, probing its port
 * all along; or, given `untilOutput`, kills it once its output matches (exitCode null then).
 * Nothing is migrated; pass a migrated `databaseUrl` when the start needs the database.
 */
export async function runServerExpectingExit(
  options: { databaseUrl?: string; env?: Record<string, string>; timeoutMs?: number; untilOutput?: RegExp; servedBy?: ServedBy } = {},
): Promise<RefusedStart> {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (!existsSync(join(ROOT, distDir, 'BUILD_ID'))) throw new Error(`No production build in ${distDir}: run \`npm run build\` first`);
  const port = await freePort();
  const inherited: Record<string, string | undefined> = Object.fromEntries(Object.entries(process.env).filter(([k]) => !WITHHELD_ENV.includes(k)));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: 'production',
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    DATABASE_URL: options.databaseUrl ?? scratchSqliteUrl(),
    IDP_CONFIG: join(ROOT, 'idp.config.yaml'),
    ...options.env,
  };
  const child = spawn(process.execPath, serverCommand(options.servedBy ?? 'server.mjs', port), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let running = true;
  let acceptedConnection = false;
  void exited.then(() => (running = false));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const seen = () => options.untilOutput?.test(output) ?? false;
  while (running && !seen() && Date.now() < deadline) {
    if (await probe(port)) acceptedConnection = true;
    await new Promise((r) => setTimeout(r, 25));
  }
  if (running && seen() && (await probe(port))) acceptedConnection = true;
  if (running) child.kill('SIGKILL');
  const code = await exited;
  return { exitCode: running ? null : code, output, acceptedConnection };
}
