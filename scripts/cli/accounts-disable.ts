import { CliFailure, UsageError } from './cli-io';
import type { Command } from './command';
import { parseOptions } from './parse-options';
import { withDatabase } from './with-database';

const NAME = 'accounts disable';

export const accountsDisableCommand: Command = {
  name: NAME,
  summary: 'Disable an account: sign-in is refused, its sessions stop producing tokens',
  help: `Usage: npm run idp -- accounts disable (--email E | --id ID) [--json]

Sets the account's status to disabled. Sign-in then reports that the account is disabled, and
its existing sessions and refresh tokens stop producing new tokens. Access tokens already issued
stay valid until they expire (minutes). Disabling a disabled account changes nothing.

Options:
  --email E   The account's email address
  --id ID     The account id (the "sub" of its tokens)
  --json      Print {"id", "email", "status", "changed"}`,
  async run(args, io) {
    const options = parseOptions(NAME, args, {
      email: { type: 'string' },
      id: { type: 'string' },
      json: { type: 'boolean' },
    });
    const email = options.email?.trim();
    const id = options.id?.trim();
    if (email && id) throw new UsageError('give either --email or --id, not both', NAME);
    if (!email && !id) throw new UsageError('missing --email or --id', NAME);

    const { normalizeEmail } = await import('../../lib/domain/accounts/account');
    const { accounts } = (await import('../../lib/composition/services')).getServices();

    const { account, changed } = await withDatabase(async () => {
      const found = email ? await accounts.findByEmail(normalizeEmail(email)) : await accounts.findById(id!);
      if (!found) throw new CliFailure(email ? `no account with email ${normalizeEmail(email)}` : `no account with id ${id}`);
      if (found.status === 'disabled') return { account: found, changed: false };
      await accounts.setStatus(found.id, 'disabled');
      return { account: found, changed: true };
    });

    if (options.json) {
      io.out(JSON.stringify({ id: account.id, email: account.email, status: 'disabled', changed }));
      return;
    }
    io.out(changed ? `Disabled account ${account.id} (${account.email}).` : `Account ${account.id} (${account.email}) was already disabled.`);
  },
};
