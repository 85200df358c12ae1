import { CliFailure } from './cli-io';
import type { Command } from './command';
import { parseOptions } from './parse-options';
import { withDatabase } from './with-database';

const NAME = 'seed';

export const DEMO_PASSWORD = 'Meridian-demo-2026';

/** One ready account per kind of region the demo shows: JP (ja), TW (zh-TW), US (en). */
export const DEMO_ACCOUNTS = [
  { email: 'demo@meridian.example', region: 'JP', locale: 'ja' },
  { email: 'demo.tw@meridian.example', region: 'TW', locale: 'zh-TW' },
  { email: 'demo.us@meridian.example', region: 'US', locale: 'en' },
] as const;

export const seedCommand: Command = {
  name: NAME,
  summary: 'Create the demo accounts (development and demos only)',
  help: `Usage: npm run idp -- seed

Creates the demo accounts if they do not exist yet (idempotent), all with the password
${DEMO_PASSWORD}: ${DEMO_ACCOUNTS.map((a) => `${a.email} (${a.region})`).join(', ')}.
Refused in production unless MERIDIAN_DEV_SECRETS=1 (a demo build).`,
  async run(args, io) {
    parseOptions(NAME, args, {});
    const { getEnv } = await import('../../lib/config/env');
    const { getIdpConfig } = await import('../../lib/config/idp-config');
    const env = getEnv();
    if (!env.devSecretsAllowed) {
      throw new CliFailure('seed creates accounts with a published password: refused in production (set MERIDIAN_DEV_SECRETS=1 for a demo)');
    }
    const regions = new Set(getIdpConfig().regions.map((r) => r.code));
    const { getPasswordHasher } = await import('../../lib/infra/crypto/argon2-password-hasher');
    const { prismaAccountRepository: accounts } = await import('../../lib/infra/db/prisma-account-repository');
    const { recordOperatorProvisioning } = await import('../../lib/infra/db/operator-provisioning');
    await withDatabase(async () => {
      for (const demo of DEMO_ACCOUNTS) {
        if (!regions.has(demo.region)) continue;
        if (await accounts.findByEmail(demo.email)) {
          io.out(`exists   ${demo.email}`);
          continue;
        }
        const passwordHash = await getPasswordHasher().hash(DEMO_PASSWORD);
        const account = await accounts.create({ email: demo.email, passwordHash, countryRegionCode: demo.region, locale: demo.locale, emailVerified: true });
        const region = getIdpConfig().regions.find((r) => r.code === demo.region);
        if (region) await recordOperatorProvisioning(account.id, region, demo.locale);
        io.out(`created  ${demo.email} (${demo.region}, ${demo.locale})`);
      }
    });
    io.out(`Demo password: ${DEMO_PASSWORD}`);
  },
};
