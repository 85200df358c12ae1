import type { CliIo } from './cli-io';

/** One CLI command; `name` is what the operator types after `idp`, e.g. "accounts create". */
export type Command = {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full help: usage line, options, notes. */
  help: string;
  /** Parses `args` (what follows the name, without --help) and does the work; throws UsageError / CliFailure. */
  run(args: string[], io: CliIo): Promise<void>;
};
