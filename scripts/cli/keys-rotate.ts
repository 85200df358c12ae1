import { CliFailure } from './cli-io';
import type { Command } from './command';
import { parseOptions } from './parse-options';
import { withDatabase } from './with-database';

const NAME = 'keys rotate';

export const keysRotateCommand: Command = {
  name: NAME,
  summary: 'Add new active ES256, RS256 and EdDSA signing keys',
  help: `Usage: npm run idp -- keys rotate [--json]

Adds a new ES256, RS256 (also used for PS256) and EdDSA signing key and makes them the active
ones. Running servers publish them in the JWKS (/oidc/jwks) within 30 seconds, and sign new
tokens with them from 60 seconds after the rotation (each server at its next 30-second reload
after that), so no server signs with a key another does not publish yet; no restart is needed.
The previous keys sign until then and stay in the JWKS for 2 days, longer than any token lives,
so tokens they signed keep verifying until they expire. Prints the kid of each new key. Private keys are stored encrypted with KEY_ENCRYPTION_KEY, which must be the servers'
one: with a key that cannot decrypt the stored keys, nothing is changed and the exit code is 1.

Options:
  --json   Print {"added": [kid, ...], "retired": [kid, ...]}`,
  async run(args, io) {
    const options = parseOptions(NAME, args, { json: { type: 'boolean' } });
    const { KEY_RELOAD_INTERVAL_MS, NEW_KEY_SIGNING_DELAY_MS, rotateSigningKeys, RETIRED_KEY_RETENTION_SECONDS } = await import('../../lib/infra/keys/signing-key-store');
    const { KeyEncryptionError } = await import('../../lib/infra/keys/key-encryption');
    const { added, retired } = await withDatabase(() => rotateSigningKeys()).catch((e: unknown) => {
      // Wrong or missing KEY_ENCRYPTION_KEY: an operator's mistake, not a programming error.
      throw e instanceof KeyEncryptionError ? new CliFailure(e.message) : e;
    });
    if (options.json) {
      io.out(JSON.stringify({ added, retired }));
      return;
    }
    io.out('New active signing keys:');
    for (const kid of added) io.out(`  ${kid}`);
    if (retired.length > 0) {
      const hours = Math.round(RETIRED_KEY_RETENTION_SECONDS / 3600);
      io.out(`Retired (sign until the new keys take over; stay in the JWKS for ${hours} hours so their tokens still verify):`);
      for (const kid of retired) io.out(`  ${kid}`);
    }
    const reload = KEY_RELOAD_INTERVAL_MS / 1000;
    const delay = NEW_KEY_SIGNING_DELAY_MS / 1000;
    io.out(`Running servers publish the new keys within ${reload} seconds and sign with them from ${delay} seconds on (all of them by ${delay + reload} seconds).`);
  },
};
