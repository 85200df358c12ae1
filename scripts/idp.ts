/**
 * Meridian ID operator CLI: `npm run idp -- <command>` (see `npm run idp -- help`).
 * Uses the server's DATABASE_URL and IDP_CONFIG. Exit codes: 0 ok, 1 failure, 2 usage error.
 */
import { nodeIo } from './cli/node-io';
import { runCli } from './cli/run-cli';

async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), nodeIo());
  // Let buffered output drain, then exit even if a library left a timer or socket behind.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

void main();
