import type { Command } from './command';

export const PROGRAM = 'npm run idp --';

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 'help [command]'.length) + 3;
  const list = [...commands.map((c) => [c.name, c.summary]), ['help [command]', 'Show this help, or a command\'s help']]
    .map(([name, summary]) => `  ${name!.padEnd(width)}${summary}`)
    .join('\n');
  return `Meridian ID operator CLI

Usage: ${PROGRAM} <command> [options]

Commands:
${list}

Run "${PROGRAM} <command> --help" for a command's options.

Environment (the same as the server's):
  DATABASE_URL   file:<path> for SQLite or postgres://... (default file:./data/meridian.db)
  IDP_CONFIG     configuration file (default ./idp.config.yaml)

Exit codes: 0 success, 1 the command failed, 2 usage error (nothing was changed).`;
}

/** Help for a command group such as "accounts": its subcommands. */
export function groupHelp(group: string, commands: readonly Command[]): string {
  const members = commands.filter((c) => c.name.startsWith(`${group} `));
  const width = Math.max(...members.map((c) => c.name.length)) + 3;
  return `Usage: ${PROGRAM} ${group} <${members.map((c) => c.name.slice(group.length + 1)).join('|')}> [options]

Commands:
${members.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Run "${PROGRAM} ${group} <command> --help" for a command's options.`;
}
