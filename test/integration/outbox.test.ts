import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrations.js';
import { createJobRunner } from '../../src/jobs/runner.js';
import { claimJob } from '../../src/models/job.js';
import { createI18n } from '../../src/lib/i18n.js';
import { createMailer, type Mailer } from '../../src/lib/mail.js';
import { localesDirectory } from '../../src/lib/paths.js';
import { fromDatabaseTime, toDatabaseTime } from '../../src/lib/time.js';
import { enqueueMail, markMailFailed, outboxPolicy } from '../../src/models/outbox.js';
import type { Tenant } from '../../src/models/tenant.js';
import { emptyDatabase, type EmptyDatabase } from '../support/empty-database.js';
import { databaseKinds, makeTestClock } from '../support/environment.js';
import { makeTenant, scopeFor } from '../support/factories.js';
import { openSystemWork } from '../../src/db/installation.js';
import { jobContextOn } from '../../src/jobs/kind.js';

const logger = pino({ level: 'silent' });
const i18n = createI18n(localesDirectory);
const seconds = 1000;

/**
 * The worker sends every tenant's mail, so these tests run on a database of their own: on the
 * run's shared MySQL database a failing worker here would hold back other files' messages, and
 * theirs would send ours.
 */
for (const kind of databaseKinds()) {
  describe(`the e-mail outbox and its sender [${kind}]`, () => {
    let database: EmptyDatabase;
    let db: Knex;
    const clock = makeTestClock();
    const mailers: Mailer[] = [];
    beforeAll(async () => {
      database = await emptyDatabase(kind);
      db = database.db;
      await migrateToLatest(db);
    });
    afterEach(async () => {
      clock.reset();
      // Each test starts with an empty outbox: the worker would otherwise meet the last test's mail.
      await db('jobs').delete();
      await db('outbox').delete();
    });
    afterAll(async () => {
      for (const mailer of mailers) mailer.close();
      await database?.drop();
    });

    /** A mailer whose SMTP server does not exist: nothing listens on port 1, so every send fails. */
    const brokenMailer = () => remember(createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'eBOK <no-reply@ebok.test>', logger }));
    const workingMailer = () => remember(createMailer({ smtpUrl: undefined, from: 'eBOK <no-reply@ebok.test>', logger }));
    function remember(mailer: Mailer): Mailer {
      mailers.push(mailer);
      return mailer;
    }
    const workerWith = (mailer: Mailer, forgetsLinks = false) => {
      const runner = createJobRunner(jobContextOn(db, { mailer, i18n, logger, clock: clock.now, forgetsLinks }));
      return { runOnce: () => runner.runDue() };
    };
    const jobOf = (outboxId: number) => db('jobs').where('kind', 'mail.send').andWhere('payload', JSON.stringify({ outboxId })).first();

    const queue = (tenant: Tenant, to: string, locale = 'pl') =>
      enqueueMail(scopeFor(db, tenant), { to, locale, template: 'password-setup', data: { tenant: tenant.name, login: 'anna', link: 'https://ebok.example/x' } });
    const rowOf = (id: number) => db('outbox').where('id', id).first();
    const waitOf = (job: { run_at: string }) => (fromDatabaseTime(job.run_at)!.getTime() - clock.now().getTime()) / seconds;

    it('keeps no message and no job when the transaction that queued it rolls back, and both when it commits', async () => {
      const tenant = await makeTenant(db);
      await db('jobs').delete();
      await expect(
        db.transaction(async (trx) => {
          await enqueueMail(openSystemWork(trx, clock.now, 'test').scopeFor(tenant.id), { to: 'lost@example.test', locale: 'pl', template: 'password-setup', data: {} });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await db('outbox').where('tenant_id', tenant.id)).toHaveLength(0);
      expect(await db('jobs').where('tenant_id', tenant.id)).toHaveLength(0);
      const id = await db.transaction((trx) => enqueueMail(openSystemWork(trx, clock.now, 'test').scopeFor(tenant.id), { to: 'kept@example.test', locale: 'pl', template: 'password-setup', data: {} }));
      expect((await db('outbox').where('tenant_id', tenant.id)).map((row: { recipient: string }) => row.recipient)).toEqual(['kept@example.test']);
      expect(await jobOf(id)).toMatchObject({ tenant_id: tenant.id, status: 'pending', attempts: 0 });
    });

    it('keeps a message pending when the mail server is down, and tries again later with a growing wait', async () => {
      const tenant = await makeTenant(db);
      const id = await queue(tenant, 'anna@example.test');
      const worker = workerWith(brokenMailer());
      expect(await worker.runOnce()).toBe(0);
      const first = await rowOf(id);
      expect(first).toMatchObject({ status: 'pending', attempts: 1, sent_at: null });
      expect(first.last_error).toMatch(/ECONNREFUSED/);
      const firstJob = await jobOf(id);
      expect(firstJob).toMatchObject({ status: 'pending', attempts: 1, lease_owner: null });
      expect(waitOf(firstJob)).toBeGreaterThan(outboxPolicy.firstRetrySeconds - 5);
      expect(waitOf(firstJob)).toBeLessThanOrEqual(outboxPolicy.firstRetrySeconds);

      // Not due yet: nothing is tried.
      await worker.runOnce();
      expect((await rowOf(id)).attempts).toBe(1);

      clock.advance((outboxPolicy.firstRetrySeconds + 1) * seconds);
      await worker.runOnce();
      expect(await rowOf(id)).toMatchObject({ status: 'pending', attempts: 2 });
      const secondJob = await jobOf(id);
      expect(secondJob).toMatchObject({ status: 'pending', attempts: 2 });
      expect(waitOf(secondJob)).toBeGreaterThan(2 * outboxPolicy.firstRetrySeconds - 5);
      expect(waitOf(secondJob)).toBeLessThanOrEqual(2 * outboxPolicy.firstRetrySeconds);
    });

    it('drops the one-time link from a sent message when told to (production), and keeps it otherwise', async () => {
      const tenant = await makeTenant(db);
      const forgotten = await queue(tenant, 'anna@example.test');
      const mailer = workingMailer();
      await workerWith(mailer, true).runOnce();
      expect(mailer.sent[0]!.text).toContain('https://ebok.example/x');
      expect(JSON.parse((await rowOf(forgotten)).data).link).toBe('[sent]');
      const kept = await queue(tenant, 'anna@example.test');
      await workerWith(workingMailer()).runOnce();
      expect(JSON.parse((await rowOf(kept)).data).link).toBe('https://ebok.example/x');
    });

    it('sends a message that failed before once the mail server works again', async () => {
      const tenant = await makeTenant(db);
      const id = await queue(tenant, 'anna@example.test');
      await workerWith(brokenMailer()).runOnce();
      clock.advance(outboxPolicy.longestRetrySeconds * seconds);
      const mailer = workingMailer();
      expect(await workerWith(mailer).runOnce()).toBe(1);
      const sent = await rowOf(id);
      expect(sent).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
      expect(await jobOf(id)).toMatchObject({ status: 'done', attempts: 2 });
      expect(sent.sent_at).not.toBeNull();
      expect(mailer.sent.map((mail) => mail.to)).toEqual(['anna@example.test']);
    });

    it('gives up after the maximum number of attempts and marks the message failed', async () => {
      const tenant = await makeTenant(db);
      const id = await queue(tenant, 'anna@example.test');
      const worker = workerWith(brokenMailer());
      for (let attempt = 1; attempt <= outboxPolicy.maximumAttempts; attempt += 1) {
        await worker.runOnce();
        expect((await rowOf(id)).attempts, `attempt ${attempt}`).toBe(attempt);
        clock.advance((outboxPolicy.longestRetrySeconds + 1) * seconds);
      }
      expect(await rowOf(id)).toMatchObject({ status: 'failed', attempts: outboxPolicy.maximumAttempts, sent_at: null });
      expect(await jobOf(id)).toMatchObject({ status: 'failed', attempts: outboxPolicy.maximumAttempts });
      // A failed message stays failed: no worker picks it up again.
      const mailer = workingMailer();
      expect(await workerWith(mailer).runOnce()).toBe(0);
      expect(mailer.sent).toHaveLength(0);
    });

    it('sends each message once when two workers run at the same time', async () => {
      const tenant = await makeTenant(db);
      const recipients = Array.from({ length: 12 }, (_, index) => `person${index}@example.test`);
      for (const recipient of recipients) await queue(tenant, recipient);
      const [left, right] = [workingMailer(), workingMailer()];
      const [leftWorker, rightWorker] = [workerWith(left), workerWith(right)];
      const counts = await Promise.all([leftWorker.runOnce(), rightWorker.runOnce()]);
      expect(counts.reduce((sum: number, count: number) => sum + count, 0)).toBe(recipients.length);
      const delivered = [...left.sent, ...right.sent].map((mail) => mail.to).sort();
      expect(delivered).toEqual([...recipients].sort());
      expect(await db('outbox').where({ tenant_id: tenant.id, status: 'sent' })).toHaveLength(recipients.length);
    });

    it('takes up a message whose sender died once its lease has run out, and leaves a live lease alone', async () => {
      const tenant = await makeTenant(db);
      const orphaned = await queue(tenant, 'orphaned@example.test');
      const held = await queue(tenant, 'held@example.test');
      // Two senders take one message each and say no more: one died, the other is still at it.
      const claimAs = (owner: string) => claimJob(openSystemWork(db, clock.now, 'test'), { owner, kinds: ['mail.send'], leaseSecondsOf: () => 60 });
      expect((await claimAs('dead-process'))?.payload).toEqual({ outboxId: orphaned });
      await db('jobs').where('id', (await jobOf(held)).id).update({ status: 'running', attempts: 1, lease_owner: 'busy-process', lease_until: toDatabaseTime(new Date(clock.now().getTime() + 10 * 60 * seconds)) });
      clock.advance(61 * seconds);
      const mailer = workingMailer();
      expect(await workerWith(mailer).runOnce()).toBe(1);
      expect(mailer.sent.map((mail) => mail.to)).toEqual(['orphaned@example.test']);
      expect((await rowOf(orphaned)).status).toBe('sent');
      expect(await jobOf(orphaned)).toMatchObject({ status: 'done', attempts: 2 });
      expect(await jobOf(held)).toMatchObject({ status: 'running', lease_owner: 'busy-process' });
      expect((await rowOf(held)).status).toBe('pending');
    });

    it('never marks a message that went out as failed, even when a job that gave up on it says so late', async () => {
      const tenant = await makeTenant(db);
      const id = await queue(tenant, 'late@example.test');
      expect(await workerWith(workingMailer()).runOnce()).toBe(1);
      // The worker whose last attempt failed gives up only after a superadmin's retry has sent the message.
      await markMailFailed(scopeFor(db, tenant), id);
      expect(await rowOf(id)).toMatchObject({ status: 'sent' });
    });

    it('writes each message in its recipient’s language', async () => {
      const tenant = await makeTenant(db, { name: 'Serwis Beta S.A.' });
      await queue(tenant, 'anna@example.test', 'pl');
      await queue(tenant, 'john@example.test', 'en');
      const mailer = workingMailer();
      await workerWith(mailer).runOnce();
      const byRecipient = Object.fromEntries(mailer.sent.map((mail) => [mail.to, mail]));
      expect(byRecipient['anna@example.test']!.subject).toBe('Serwis Beta S.A.: ustaw hasło do portalu');
      expect(byRecipient['anna@example.test']!.text).toContain('Dzień dobry,');
      expect(byRecipient['john@example.test']!.subject).toBe('Serwis Beta S.A.: set your portal password');
      expect(byRecipient['john@example.test']!.text).toContain('Serwis Beta S.A. — eBOK customer portal');
    });
  });
}
