import { accountsCreateCommand } from './accounts-create';
import { accountsDisableCommand } from './accounts-disable';
import type { Command } from './command';
import { configCheckCommand } from './config-check';
import { keysRotateCommand } from './keys-rotate';
import { migrateCommand } from './migrate';
import { seedCommand } from './seed';

/** Every command, in the order the help lists them. Heavy modules load inside `run`, so help stays fast. */
export const COMMANDS: readonly Command[] = [
  migrateCommand,
  accountsCreateCommand,
  accountsDisableCommand,
  keysRotateCommand,
  configCheckCommand,
  seedCommand,
];
