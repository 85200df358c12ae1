import { describe, expect, it } from 'vitest';
import { CliFailure, UsageError, type CliIo } from './cli-io';
import type { Command } from './command';
import { COMMANDS } from './commands';
import { parseOptions } from './parse-options';
import { runCli } from './run-cli';

// Dispatch, help and exit codes in-process, with stand-in commands (no database, no config).

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), readSecret: async () => '' };
  return { io, out: () => out.join('\n'), err: () => err.join('\n') };
}

const calls: string[][] = [];
const commands: Command[] = [
  {
    name: 'thing do',
    summary: 'Does the thing',
    help: 'Usage: thing do [--flag]',
    async run(args) {
      const options = parseOptions('thing do', args, { flag: { type: 'boolean' }, secret: { type: 'string' } });
      calls.push(args);
      if (options.flag) throw new CliFailure('it broke');
    },
  },
  { name: 'thing undo', summary: 'Undoes it', help: 'Usage: thing undo', run: async () => undefined },
  {
    name: 'solo',
    summary: 'Alone',
    help: 'Usage: solo',
    async run() {
      throw new UsageError('bad value', 'solo');
    },
  },
];

async function run(argv: string[]) {
  const io = fakeIo();
  const code = await runCli(argv, io.io, commands);
  return { code, out: io.out(), err: io.err() };
}

describe('runCli', () => {
  it('runs a two-word command with the remaining arguments', async () => {
    expect((await run(['thing', 'do'])).code).toBe(0);
    expect(calls.at(-1)).toEqual([]);
  });

  it('maps failures to exit 1 and usage errors to exit 2', async () => {
    expect(await run(['thing', 'do', '--flag'])).toMatchObject({ code: 1, err: 'error: it broke' });
    const usage = await run(['solo']);
    expect(usage.code).toBe(2);
    expect(usage.err).toBe('error: bad value\nRun "npm run idp -- solo --help" for usage.');
  });

  it('prints help to stdout with exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/thing do +Does the thing/);
      expect(r.out).toMatch(/Exit codes: 0 success, 1 the command failed, 2 usage error/);
    }
    expect(await run(['thing', 'do', '--help'])).toMatchObject({ code: 0, out: 'Usage: thing do [--flag]' });
    expect(await run(['help', 'thing', 'undo'])).toMatchObject({ code: 0, out: 'Usage: thing undo' });
    expect((await run(['thing', '--help'])).out).toMatch(/Usage: npm run idp -- thing <do\|undo>/);
  });

  it('rejects unknown commands, missing subcommands and unknown options with exit 2', async () => {
    expect(await run([])).toMatchObject({ code: 2 });
    expect((await run(['nope'])).err).toMatch(/unknown command "nope"/);
    expect((await run(['thing'])).err).toMatch(/"thing" needs a command/);
    expect((await run(['thing', 'redo'])).err).toMatch(/unknown command "thing redo"/);
    expect((await run(['help', 'nope'])).code).toBe(2);
    expect((await run(['-v'])).code).toBe(2);
    const bad = await run(['thing', 'do', '--nope']);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.err).toMatch(/unknown option '--nope'/);
  });

  it('never echoes option values or stray arguments in usage errors', async () => {
    for (const argv of [['thing', 'do', 'hunter2-secret'], ['thing', 'do', '--secrte=hunter2-secret'], ['thing', 'do', '--flag=hunter2-secret']]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.err).not.toContain('hunter2');
    }
  });

  it('lists every real command in the main help', async () => {
    const io = fakeIo();
    expect(await runCli(['help'], io.io)).toBe(0);
    for (const c of COMMANDS) expect(io.out()).toContain(c.name);
    expect(COMMANDS.map((c) => c.name)).toEqual(['migrate', 'accounts create', 'accounts disable', 'keys rotate', 'config check', 'seed']);
  });
});
