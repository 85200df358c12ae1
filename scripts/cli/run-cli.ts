import { ConfigError } from '../../lib/config/idp-config';
import { CliFailure, EXIT, UsageError, type CliIo } from './cli-io';
import type { Command } from './command';
import { COMMANDS } from './commands';
import { groupHelp, mainHelp, PROGRAM } from './help';

const HELP_FLAGS = new Set(['--help', '-h']);

type Resolved =
  | { kind: 'command'; command: Command; args: string[] }
  | { kind: 'group'; group: string; args: string[] };

/**
 * Runs the CLI and returns its exit code (0 ok, 1 failure, 2 usage error). Rules:
 * 1. `help [command…]`, `--help`/`-h` anywhere before `--` print help to stdout and exit 0;
 * 2. no command, an unknown command or a bad option prints a message and a pointer to the help
 *    to stderr and exits 2, before anything is changed;
 * 3. a failure prints one `error:` line (no stack) to stderr and exits 1;
 * 4. passwords are never printed: option values are not echoed in usage errors.
 */
export async function runCli(argv: string[], io: CliIo, commands: readonly Command[] = COMMANDS): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) throw new UsageError('missing command');
    if (first === 'help') return printHelp(resolve(rest, commands), io, commands);
    const resolved = resolve(argv, commands);
    if (wantsHelp(resolved.args)) return printHelp(resolved, io, commands);
    if (resolved.kind === 'group') {
      const group = resolved.group;
      if (resolved.args.length === 0) throw new UsageError(`"${group}" needs a command`, group);
      throw new UsageError(`unknown command "${group} ${resolved.args[0]}"`, group);
    }
    await resolved.command.run(resolved.args, io);
    return EXIT.ok;
  } catch (e) {
    return reportError(e, io);
  }
}

function resolve(argv: string[], commands: readonly Command[]): Resolved {
  if (argv.length === 0 || HELP_FLAGS.has(argv[0]!)) return { kind: 'group', group: '', args: argv };
  // Longest name first: "accounts create" before a hypothetical "accounts".
  const byLength = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of byLength) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { kind: 'command', command, args: argv.slice(words.length) };
  }
  const group = argv[0]!;
  if (commands.some((c) => c.name.startsWith(`${group} `))) return { kind: 'group', group, args: argv.slice(1) };
  if (group.startsWith('-')) throw new UsageError(`unknown option ${group}; options go after the command`);
  throw new UsageError(`unknown command "${group}"`);
}

function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => HELP_FLAGS.has(a));
}

function printHelp(resolved: Resolved, io: CliIo, commands: readonly Command[]): number {
  if (resolved.kind === 'command') io.out(resolved.command.help);
  else if (resolved.group === '') io.out(mainHelp(commands));
  else if (resolved.args.length === 0 || HELP_FLAGS.has(resolved.args[0]!)) io.out(groupHelp(resolved.group, commands));
  else throw new UsageError(`unknown command "${resolved.group} ${resolved.args[0]}"`, resolved.group);
  return EXIT.ok;
}

function reportError(e: unknown, io: CliIo): number {
  if (e instanceof UsageError) {
    io.err(`error: ${e.message}`);
    io.err(`Run "${PROGRAM}${e.command ? ` ${e.command}` : ''} --help" for usage.`);
    return EXIT.usage;
  }
  io.err(`error: ${describeFailure(e).trimEnd()}`);
  return EXIT.failure;
}

/** One operator-readable message for a failure; stack traces only for programming errors. */
function describeFailure(e: unknown): string {
  if (e instanceof CliFailure || e instanceof ConfigError) return e.message;
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  const text = `${e.message} ${e.cause instanceof Error ? e.cause.message : ''}`;
  if (code === 'P2021' || /no such table|does not exist in the current database|relation "[^"]+" does not exist/i.test(text)) {
    return `the database has no schema yet; run "${PROGRAM} migrate" first (${lastLine(e.message)})`;
  }
  // Prisma's messages open with the call site and the query; the reason is the last line.
  if (typeof code === 'string' && /^P\d{4}$/.test(code)) return `${lastLine(e.message)} (${code})`;
  if (e.name === 'Error' || e.name === 'AppError' || code !== undefined) {
    return e.cause instanceof Error ? `${e.message} (${e.cause.message})` : e.message;
  }
  return e.stack ?? e.message;
}

function lastLine(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? message;
}
