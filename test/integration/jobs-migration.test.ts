import { describe, expect, it } from 'vitest';
import * as createJobs from '../../migrations/20261201_1010_create_jobs.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { databaseBefore } from '../support/empty-database.js';
import { databaseKinds } from '../support/environment.js';

const jobsMigration = '20261201_1010_create_jobs';

for (const kind of databaseKinds()) {
  describe(`the jobs migration [${kind}]`, () => {
    /** A database just before the jobs table, with a message waiting, one a sender had claimed, and one sent. */
    async function databaseWithOutbox() {
      const db = await databaseBefore(kind, jobsMigration);
      const stamp = '2026-01-01 09:00:00';
      const [tenantId] = await db('tenants').insert({ slug: 'mailer', name: 'Mailer', default_locale: 'pl', created_at: stamp, updated_at: stamp });
      const message = async (status: string, attempts: number) => {
        const [id] = await db('outbox').insert({ tenant_id: tenantId, recipient: `${status}@example.com`, locale: 'pl', template: 'invitation', data: '{}', status, attempts, next_attempt_at: '2026-01-01 09:05:00', claim: status === 'sending' ? 'a-sender' : null, created_at: stamp });
        return Number(id);
      };
      return { db, ids: { pending: await message('pending', 0), sending: await message('sending', 2), sent: await message('sent', 1) } };
    }

    const mailJobs = async (db: Awaited<ReturnType<typeof databaseWithOutbox>>['db']) =>
      (await db('jobs').where('kind', 'mail.send').orderBy('id')).map((job) => ({ outboxId: JSON.parse(job.payload).outboxId, status: job.status, attempts: Number(job.attempts) }));

    it('gives every message still waiting a job, with its attempts so far, and hands back what a sender had claimed', async () => {
      const { db, ids } = await databaseWithOutbox();
      await migrateToLatest(db);
      expect(await mailJobs(db)).toEqual([
        { outboxId: ids.pending, status: 'pending', attempts: 0 },
        { outboxId: ids.sending, status: 'pending', attempts: 2 },
      ]);
      expect(await db('outbox').where('id', ids.sending).first()).toMatchObject({ status: 'pending', claim: null });
    });

    it('finishes when run again after a first run, without a second job for any message', async () => {
      // MariaDB commits the CREATE TABLE at once: a run that failed later leaves the table and the jobs made so far.
      const { db, ids } = await databaseWithOutbox();
      await createJobs.up(db);
      await migrateToLatest(db);
      expect((await mailJobs(db)).map((job) => job.outboxId)).toEqual([ids.pending, ids.sending]);
    });

    it('is undone by its down: the table goes, and every message stays in the outbox', async () => {
      const { db } = await databaseWithOutbox();
      await migrateToLatest(db);
      await createJobs.down(db);
      expect(await db.schema.hasTable('jobs')).toBe(false);
      expect(await db('outbox').count({ count: '*' }).first()).toMatchObject({ count: 3 });
    });
  });
}
