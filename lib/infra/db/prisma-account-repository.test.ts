import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountRepository } from '../../domain/accounts/account-repository';
import { AppError } from '../../domain/errors';
import { createPrismaAccountRepository } from './prisma-account-repository';
import { openMigratedTestDatabase, TEST_BACKENDS, type MigratedTestDatabase } from './test-databases';

const input = {
  email: '  Mei.Lin@Example.COM ',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  countryRegionCode: 'tw',
  locale: 'zh-TW',
  emailVerified: false,
};

for (const backend of TEST_BACKENDS) {
  describe.runIf(backend.enabled)(`the Prisma account repository on ${backend.provider}`, () => {
    let t: MigratedTestDatabase;
    let repo: AccountRepository;

    beforeAll(async () => {
      t = await openMigratedTestDatabase(backend.provider);
      repo = createPrismaAccountRepository(() => t.db);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('creates an account with a normalized email and finds it by id and any spelling of the email', async () => {
      const created = await repo.create(input);
      expect(created).toMatchObject({
        email: 'mei.lin@example.com',
        emailVerified: false,
        countryRegionCode: 'TW',
        locale: 'zh-TW',
        status: 'active',
      });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(created).not.toHaveProperty('passwordHash');
      expect(await repo.findById(created.id)).toEqual(created);
      expect(await repo.findByEmail('MEI.LIN@example.com')).toEqual(created);
      expect(await repo.findById('00000000-0000-0000-0000-000000000000')).toBeNull();
      expect(await repo.findByEmail('nobody@example.com')).toBeNull();
    });

    it('returns the password hash only through findPasswordHashByEmail', async () => {
      const found = await repo.findPasswordHashByEmail('mei.lin@EXAMPLE.com');
      expect(found?.passwordHash).toBe(input.passwordHash);
      expect(found?.account.email).toBe('mei.lin@example.com');
      // Read with plain SQL: the same account as Prisma's model query maps it (dates, booleans).
      expect(found?.account).toEqual(await repo.findByEmail('mei.lin@example.com'));
      expect(await repo.findPasswordHashByEmail('nobody@example.com')).toBeNull();
      const passwordless = await repo.create({ ...input, email: 'passkey.only@example.com', passwordHash: null });
      expect((await repo.findPasswordHashByEmail(passwordless.email))?.passwordHash).toBeNull();
    });

    it('refuses a second account with the same email, whatever its case', async () => {
      const error = await repo.create({ ...input, email: 'MEI.LIN@example.com' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'account.email_taken', status: 409 });
    });

    it('lets exactly one of two concurrent sign-ups with one email win', async () => {
      const results = await Promise.allSettled([
        repo.create({ ...input, email: 'race@example.com' }),
        repo.create({ ...input, email: 'Race@example.com' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected?.status === 'rejected' && rejected.reason).toMatchObject({ code: 'account.email_taken' });
    });

    it('disables and re-enables an account', async () => {
      const account = await repo.create({ ...input, email: 'status@example.com' });
      const disabled = await repo.setStatus(account.id, 'disabled');
      expect(disabled.status).toBe('disabled');
      expect((await repo.findById(account.id))?.status).toBe('disabled');
      expect((await repo.setStatus(account.id, 'active')).status).toBe('active');
      await expect(repo.setStatus('00000000-0000-0000-0000-000000000000', 'disabled')).rejects.toMatchObject({
        code: 'account.not_found',
        status: 404,
      });
    });
  });
}
