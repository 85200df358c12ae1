import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const ROOT = resolve(process.cwd());
const execFileAsync = promisify(execFile);

/** Runs the operator CLI (`tsx scripts/idp.ts …`) against the shared server's database and config. */
export async function runCli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/idp.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...inject('serverEnv') },
    });
  } catch (e) {
    const failed = e as { stdout?: string; stderr?: string; message?: string };
    throw new Error(`idp ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`, { cause: e });
  }
}

export type TestAccount = {
  id: string;
  email: string;
  password: string;
  emailVerified: boolean;
  countryRegionCode: string;
  locale: string;
};

/** A fresh account (unique email) created with `accounts create … --json`. */
export async function createAccount(label: string, options: { region?: string } = {}): Promise<TestAccount> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const region = options.region ?? 'JP';
  const { stdout } = await runCli(['accounts', 'create', '--email', email, '--password', password, '--region', region, '--json']);
  const line = stdout.trim().split('\n').filter(Boolean).at(-1) ?? '';
  const created = JSON.parse(line) as Omit<TestAccount, 'password'>;
  return { ...created, password };
}

/** Several accounts at once (each CLI run pays tsx start-up, so run them side by side). */
export function createAccounts<const L extends readonly string[]>(...labels: L): Promise<{ [K in keyof L]: TestAccount }> {
  return Promise.all(labels.map((label) => createAccount(label))) as Promise<{ [K in keyof L]: TestAccount }>;
}
