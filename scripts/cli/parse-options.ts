import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-io';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs in strict mode (no positionals); its errors become UsageErrors. Argument
 * values are never echoed back: a misplaced password must not land in a terminal or a log.
 */
export function parseOptions<const T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError('unexpected argument: this command takes only --options, each value right after its option', command);
    }
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      // Node's messages name the option, never its value; keep the first line.
      const first = (e as Error).message.split('\n')[0] ?? '';
      throw new UsageError(first.charAt(0).toLowerCase() + first.slice(1), command);
    }
    throw e;
  }
}

/** Reads a string option that must be present and non-blank. */
export function requireOption(command: string, name: string, value: string | undefined): string {
  const trimmed = value?.trim();
  if (!trimmed) throw new UsageError(`missing required option --${name}`, command);
  return trimmed;
}
