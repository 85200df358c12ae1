import { z } from 'zod';
import { getIdpConfig } from '../../lib/config/idp-config';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../../lib/config/idp-config-schema';
import { CliFailure, UsageError, type CliIo } from './cli-io';
import type { Command } from './command';
import { parseOptions, requireOption } from './parse-options';
import { withDatabase } from './with-database';

const NAME = 'accounts create';

// NIST SP 800-63B's floor for memorized secrets; the upper bound keeps argon2id input sane.
const PASSWORD_MIN_LENGTH = 8;
const PASSWORD_MAX_LENGTH = 1024;

export const accountsCreateCommand: Command = {
  name: NAME,
  summary: 'Create a ready, email-verified account with a password',
  help: `Usage: npm run idp -- accounts create --email E (--password-stdin | --password P) --region CC [--locale L] [--json]

Creates an active account whose email counts as verified, with an argon2id password hash.
It is ready: the region's current sign-up steps (birth date, terms…) are recorded as met by the
operator, who vouches that the person agreed out of band; later changes (a new terms version)
are asked at the next sign-in.
Prints the new account id (or, with --json, the account as JSON).

Options:
  --email E          Email address (stored lower-cased; must not belong to another account)
  --password-stdin   Read the password from stdin: a hidden prompt on a terminal, or all of piped
                     input with one trailing newline removed, e.g.
                       printf '%s' "$PASSWORD" | npm run idp -- accounts create --password-stdin ...
  --password P       The password on the command line (lands in shell history and the process
                     list: prefer --password-stdin). At least ${PASSWORD_MIN_LENGTH} characters.
  --region CC        Country/region code, one of the regions in IDP_CONFIG (e.g. JP)
  --locale L         en, ja or zh-TW (default: the region's default_locale)
  --json             Print {"id", "email", "emailVerified", "countryRegionCode", "locale", "status"}`,
  async run(args, io) {
    const options = parseOptions(NAME, args, {
      email: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      region: { type: 'string' },
      locale: { type: 'string' },
      json: { type: 'boolean' },
    });
    const rawEmail = requireOption(NAME, 'email', options.email);
    if (!z.email().safeParse(rawEmail).success) throw new UsageError(`--email: "${rawEmail}" is not an email address`, NAME);
    const regionInput = requireOption(NAME, 'region', options.region).toUpperCase();
    if (options.password !== undefined && options['password-stdin']) {
      throw new UsageError('give either --password or --password-stdin, not both', NAME);
    }
    if (options.password === undefined && !options['password-stdin']) {
      throw new UsageError('missing password: use --password-stdin (or --password)', NAME);
    }

    // Checked against the configuration before reading a password or touching the database.
    const regions = getIdpConfig().regions;
    const region = regions.find((r) => r.code === regionInput);
    if (!region) {
      throw new UsageError(`--region: unknown region "${regionInput}" (configured: ${regions.map((r) => r.code).join(', ')})`, NAME);
    }
    const locale = options.locale === undefined ? region.default_locale : parseLocale(options.locale);

    const password = options.password ?? (await readPasswordFromStdin(io));
    checkPassword(password);

    const { normalizeEmail } = await import('../../lib/domain/accounts/account');
    const email = normalizeEmail(rawEmail);
    const { getPasswordHasher } = await import('../../lib/infra/crypto/argon2-password-hasher');
    const { prismaAccountRepository: accounts } = await import('../../lib/infra/db/prisma-account-repository');

    const { recordOperatorProvisioning } = await import('../../lib/infra/db/operator-provisioning');

    const account = await withDatabase(async () => {
      if (await accounts.findByEmail(email)) throw duplicate(email);
      const passwordHash = await getPasswordHasher().hash(password);
      let created;
      try {
        created = await accounts.create({ email, passwordHash, countryRegionCode: region.code, locale, emailVerified: true });
      } catch (e) {
        // Another process created it between the check and the insert.
        if (isUniqueViolation(e)) throw duplicate(email);
        throw e;
      }
      // Ready: the region's current sign-up steps and documents are recorded as met by the operator.
      await recordOperatorProvisioning(created.id, region, locale);
      return created;
    });

    if (options.json) {
      io.out(
        JSON.stringify({
          id: account.id,
          email: account.email,
          emailVerified: account.emailVerified,
          countryRegionCode: account.countryRegionCode,
          locale: account.locale,
          status: account.status,
        }),
      );
      return;
    }
    io.out(account.id);
    io.err(`Created account ${account.email} (region ${account.countryRegionCode}, locale ${account.locale}); it can sign in now.`);
  },
};

function parseLocale(input: string): SupportedLocale {
  const locale = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === input.trim().toLowerCase());
  if (!locale) throw new UsageError(`--locale: unsupported locale "${input}" (supported: ${SUPPORTED_LOCALES.join(', ')})`, NAME);
  return locale;
}

async function readPasswordFromStdin(io: CliIo): Promise<string> {
  const text = await io.readSecret('Password: ');
  // Piped input usually ends with a newline (echo, here-strings); the password does not.
  const password = text.replace(/\r?\n$/, '');
  if (/[\r\n]/.test(password)) throw new UsageError('--password-stdin: the password must be a single line', NAME);
  return password;
}

function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new UsageError(`the password must have at least ${PASSWORD_MIN_LENGTH} characters`, NAME);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new UsageError(`the password must have at most ${PASSWORD_MAX_LENGTH} characters`, NAME);
  }
}

function duplicate(email: string): CliFailure {
  return new CliFailure(`an account with email ${email} already exists`);
}

/** Prisma's P2002, or a repository's AppError for a taken email. */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'P2002' || (typeof code === 'string' && /email_taken|already_exists|duplicate/.test(code));
}
