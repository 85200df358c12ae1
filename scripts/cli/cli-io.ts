/** Exit codes of the operator CLI. */
export const EXIT = {
  ok: 0,
  /** The command ran and failed (duplicate email, invalid configuration, database down…). */
  failure: 1,
  /** The command line itself is wrong (unknown command, missing or bad option); nothing was changed. */
  usage: 2,
} as const;

/** The command line is wrong: printed with a pointer to the help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** The command whose help to point at, e.g. "accounts create"; undefined for the top level. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** An expected runtime failure with an operator-facing message (no stack trace), exit code 1. */
export class CliFailure extends Error {
  override name = 'CliFailure';
}

/** Everything a command touches outside its arguments, so tests can run commands in-process. */
export type CliIo = {
  /** Writes one line (a newline is added) to stdout: results. */
  out(text: string): void;
  /** Writes one line to stderr: errors, warnings, progress. */
  err(text: string): void;
  /** Reads a secret: without echo from a terminal (one line), or all of piped stdin. */
  readSecret(prompt: string): Promise<string>;
};
