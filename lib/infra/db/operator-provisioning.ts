import type { RegionConfig } from '../../config/idp-config-schema';
import { getDb, type Db } from './client';

/**
 * `accounts create` and `seed` make READY accounts: the operator vouches for what the region's
 * sign-up would have asked (the person agreed out of band: a migration, a support case, a demo).
 * Every step the region requires today is recorded with source 'operator', and each document's
 * current version as accepted (source 'operator'). A step or document version published later is
 * asked at the next sign-in, as for everyone. All in one transaction; for a new account (once).
 */
export async function recordOperatorProvisioning(accountId: string, region: RegionConfig, locale: string, db: Db = getDb()): Promise<void> {
  const documentLocale = (region.locales as readonly string[]).includes(locale) ? locale : region.default_locale;
  // Inserts only, in one transaction: its first statement writes, so concurrent CLI processes on
  // SQLite queue for the write lock (busy_timeout) instead of failing a read-to-write upgrade.
  await db.$transaction([
    db.accountStep.createMany({ data: region.signup.steps.map((step) => ({ accountId, step, source: 'operator' })) }),
    db.termsAcceptance.createMany({
      data: region.signup.documents.map((doc) => ({ accountId, region: region.code, documentId: doc.id, version: doc.version, locale: documentLocale, source: 'operator' })),
    }),
  ]);
}
