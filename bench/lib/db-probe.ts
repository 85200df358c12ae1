import { createDb } from '../../lib/infra/db/client';

export type DbProbe = { label: string; cpuMsPerQuery: number; wallMsPerQuery: number }[];

/**
 * Per-query cost of the data layer, in this process, against the bench database (reads only):
 * a Prisma model query (JS client engine: each call goes through the WASM query compiler) next to
 * the same lookup as raw SQL, to show what the ORM layer costs per statement.
 */
export async function probeDatabase(databaseUrl: string, email: string, count = 300): Promise<DbProbe> {
  const db = createDb(databaseUrl);
  try {
    const someInteraction = await db.oidcPayload.findFirst({ where: { model: 'Interaction' }, select: { id: true } });
    const interactionId = someInteraction?.id ?? 'none';
    const cases: [string, () => Promise<unknown>][] = [
      ['Prisma `account.findUnique({ where: { email } })`', () => db.account.findUnique({ where: { email } })],
      ['Prisma `oidcPayload.findUnique` (the adapter’s `find`)', () => db.oidcPayload.findUnique({ where: { model_id: { model: 'Interaction', id: interactionId } } })],
      ['raw SQL, same account lookup (`$queryRaw`)', () => db.$queryRaw`SELECT * FROM "accounts" WHERE "email" = ${email}`],
    ];
    const result: DbProbe = [];
    for (const [label, fn] of cases) {
      for (let i = 0; i < 30; i += 1) await fn();
      const cpu = process.cpuUsage();
      const t = performance.now();
      for (let i = 0; i < count; i += 1) await fn();
      const used = process.cpuUsage(cpu);
      result.push({ label, cpuMsPerQuery: (used.user + used.system) / 1000 / count, wallMsPerQuery: (performance.now() - t) / count });
    }
    return result;
  } finally {
    await db.$disconnect();
  }
}
