import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobKind } from '../../src/jobs/kind.js';
import type { JobRegistry } from '../../src/jobs/registry.js';
import { createJobRunner } from '../../src/jobs/runner.js';
import { createI18n } from '../../src/lib/i18n.js';
import { createMailer } from '../../src/lib/mail.js';
import { localesDirectory } from '../../src/lib/paths.js';
import { fromDatabaseTime } from '../../src/lib/time.js';
import { claimJob, enqueueSystemJob, enqueueTenantJob } from '../../src/models/job.js';
import { describeOnEachDatabase, type TestEnvironment } from '../support/environment.js';
import { makeTenant, scopeFor } from '../support/factories.js';
import { openSystemWork } from '../../src/db/installation.js';
import { jobContextOn } from '../../src/jobs/kind.js';

const logger = pino({ level: 'silent' });
const i18n = createI18n(localesDirectory);
const seconds = 1000;
const word = z.object({ word: z.string() });

/**
 * Kinds of this file only ('test.*'): the runners here take no other file's jobs, and the other
 * files' runners, which know only the real kinds, leave these alone on a shared database.
 */
function testKinds(overrides: Partial<JobKind<z.infer<typeof word>>> & { run: JobKind<z.infer<typeof word>>['run'] }, name = 'test.work'): JobRegistry {
  const kind: JobKind<z.infer<typeof word>> = { payload: word, maxAttempts: 3, retryAfterSeconds: (failed) => 10 * failed, leaseSeconds: 60, ...overrides };
  return { [name]: kind as JobKind<unknown> };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describeOnEachDatabase('the job runner', (env) => {
  const mailer = createMailer({ smtpUrl: undefined, from: 'eBOK <no-reply@ebok.test>', logger });
  const runnerWith = (registry: JobRegistry, options: { renewEveryMs?: number } = {}) =>
    createJobRunner(jobContextOn(env.db, { mailer, i18n, logger, clock: env.clock.now, forgetsLinks: false }), { registry, pollMs: 50, ...options });
  const jobRow = (id: number) => env.db('jobs').where('id', id).first();
  const enqueue = async (env: TestEnvironment, kind = 'test.work', text = 'hello') =>
    enqueueTenantJob(scopeFor(env.db, await makeTenant(env.db)), { kind, payload: { word: text }, runAt: env.clock.now() });
  afterEach(async () => {
    env.clock.reset();
    await env.db('jobs').where('kind', 'like', 'test.%').delete();
  });

  it('runs a job once when two workers compete for it', async () => {
    const runs: string[] = [];
    const registry = testKinds({ run: async (_context, payload) => void runs.push(payload.word) });
    const id = await enqueue(env);
    const counts = await Promise.all([runnerWith(registry).runDue(), runnerWith(registry).runDue(), runnerWith(registry).runDue()]);
    expect(runs).toEqual(['hello']);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 1, lease_owner: null, last_error: null });
  });

  it('retries a handler that throws with a growing wait, then marks the job failed with its last error', async () => {
    let calls = 0;
    const registry = testKinds({
      run: async () => {
        calls += 1;
        throw new Error(`refused, attempt ${calls}`);
      },
    });
    const id = await enqueue(env);
    const runner = runnerWith(registry);
    expect(await runner.runDue()).toBe(0);
    expect(await jobRow(id)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'refused, attempt 1' });
    expect(await runner.runDue()).toBe(0);
    expect(calls).toBe(1);

    env.clock.advance(11 * seconds);
    await runner.runDue();
    expect(await jobRow(id)).toMatchObject({ status: 'pending', attempts: 2, last_error: 'refused, attempt 2' });
    env.clock.advance(19 * seconds);
    await runner.runDue();
    expect(calls).toBe(2);
    env.clock.advance(2 * seconds);
    await runner.runDue();
    const failed = await jobRow(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, last_error: 'refused, attempt 3', lease_owner: null });
    expect(failed.finished_at).not.toBeNull();

    env.clock.advance(60 * 60 * seconds);
    expect(await runner.runDue()).toBe(0);
    expect(calls).toBe(3);
  });

  it('lets another worker take a job whose worker died, once its lease has run out, and not before', async () => {
    const runs: string[] = [];
    const registry = testKinds({ run: async (_context, payload) => void runs.push(payload.word) });
    const id = await enqueue(env);
    const dead = await claimJob(openSystemWork(env.db, env.clock.now, 'test'), { owner: 'a worker that died', kinds: ['test.work'], leaseSecondsOf: () => 60 });
    expect(dead?.id).toBe(id);
    env.clock.advance(30 * seconds);
    expect(await runnerWith(registry).runDue()).toBe(0);
    expect(runs).toEqual([]);
    env.clock.advance(31 * seconds);
    expect(await runnerWith(registry).runDue()).toBe(1);
    expect(runs).toEqual(['hello']);
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('never runs a job twice at once: the worker holding it renews its lease while the handler runs', async () => {
    let runs = 0;
    let running = 0;
    let mostAtOnce = 0;
    let entered: () => void = () => undefined;
    const isEntered = new Promise<void>((resolve) => (entered = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const registry = testKinds({
      leaseSeconds: 60,
      run: async () => {
        runs += 1;
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        // The holder's run lasts until released; a second run (the fault looked for) ends at once, to be counted rather than waited for.
        if (runs === 1) {
          entered();
          await released;
        }
        running -= 1;
      },
    });
    const id = await enqueue(env);
    const isLeasedBeyondNow = async () => (fromDatabaseTime((await jobRow(id)).lease_until)?.getTime() ?? 0) > env.clock.now().getTime();
    const holder = runnerWith(registry, { renewEveryMs: 25 }).runDue();
    await isEntered;
    let taken = 0;
    for (let round = 0; round < 3; round += 1) {
      // Past the lease as it stands: only a renewal made since (waited for, 5 s at most) keeps the job the holder's.
      env.clock.advance(61 * seconds);
      const deadline = Date.now() + 5 * seconds;
      while (!(await isLeasedBeyondNow()) && Date.now() < deadline) await sleep(10);
      taken += await runnerWith(registry).runDue();
    }
    release();
    expect(await holder).toBe(1);
    expect(taken).toBe(0);
    expect(runs).toBe(1);
    expect(mostAtOnce).toBe(1);
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('gives a job up once, by the worker that holds it: a worker whose lease was taken leaves the failure to the one that took it', async () => {
    const givenUp: string[] = [];
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const isEntered = new Promise<void>((resolve) => (entered = resolve));
    const slow = testKinds({
      maxAttempts: 1,
      run: async () => {
        entered();
        await new Promise<void>((resolve) => (release = resolve));
        throw new Error('the mail server hung up at last');
      },
      giveUp: async () => void givenUp.push('stalled worker'),
    });
    const id = await enqueue(env);
    const stalled = runnerWith(slow).runDue();
    await isEntered;
    // Its lease runs out (no renewal reached the database): another worker takes the job and gives it up.
    env.clock.advance(61 * seconds);
    await runnerWith(testKinds({ maxAttempts: 1, run: async () => undefined, giveUp: async () => void givenUp.push('next worker') })).runDue();
    expect(await jobRow(id)).toMatchObject({ status: 'failed', attempts: 2 });
    release();
    expect(await stalled).toBe(0);
    expect(givenUp).toEqual(['next worker']);
    expect(await jobRow(id)).toMatchObject({ status: 'failed', attempts: 2, last_error: 'its worker stopped before it finished, too many times' });
  });

  it('fails a job whose payload does not fit its kind at once, without running it', async () => {
    const runs: string[] = [];
    const registry = testKinds({ run: async (_context, payload) => void runs.push(payload.word) });
    const id = await enqueueTenantJob(scopeFor(env.db, await makeTenant(env.db)), { kind: 'test.work', payload: { word: 42 }, runAt: env.clock.now() });
    expect(await runnerWith(registry).runDue()).toBe(0);
    expect(runs).toEqual([]);
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toMatch(/payload does not fit test\.work/);
  });

  it('leaves a job of a kind it does not know to a worker that knows it', async () => {
    const id = await enqueue(env, 'test.newer');
    expect(await runnerWith(testKinds({ run: async () => undefined })).runDue()).toBe(0);
    expect(await jobRow(id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await runnerWith(testKinds({ run: async () => undefined }, 'test.newer')).runDue()).toBe(1);
  });

  it('enqueues a scheduled job once per period however many workers ask, and again in the next period', async () => {
    const registry = testKinds({ everySeconds: 15 * 60, run: async () => undefined }, 'test.scheduled');
    const scheduled = () => env.db('jobs').where('kind', 'test.scheduled').orderBy('id');
    await Promise.all(Array.from({ length: 6 }, () => runnerWith(registry).enqueueScheduled()));
    expect(await scheduled()).toHaveLength(1);
    expect((await scheduled())[0]).toMatchObject({ tenant_id: null, status: 'pending' });
    await Promise.all(Array.from({ length: 3 }, () => runnerWith(registry).enqueueScheduled()));
    expect(await scheduled()).toHaveLength(1);
    env.clock.advance(15 * 60 * seconds);
    await Promise.all(Array.from({ length: 6 }, () => runnerWith(registry).enqueueScheduled()));
    expect(await scheduled()).toHaveLength(2);
  });

  it('keeps an enqueue with a unique key idempotent for a tenant, and apart from another tenant’s key', async () => {
    const [first, second] = [await makeTenant(env.db), await makeTenant(env.db)];
    const job = { kind: 'test.work', payload: { word: 'once' }, runAt: env.clock.now(), uniqueKey: 'reminders:2026-12' };
    const ids = await Promise.all([enqueueTenantJob(scopeFor(env.db, first), job), enqueueTenantJob(scopeFor(env.db, first), job), enqueueTenantJob(scopeFor(env.db, second), job)]);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(await enqueueSystemJob(openSystemWork(env.db, env.clock.now, 'test'), job)).not.toBe(ids[0]);
  });

  it('finishes the job in hand when stopped, and takes no further one', async () => {
    const runs: string[] = [];
    const registry = testKinds({
      run: async (_context, payload) => {
        await sleep(300);
        runs.push(payload.word);
      },
    });
    const tenant = scopeFor(env.db, await makeTenant(env.db));
    const ids = [];
    for (const text of ['first', 'second', 'third']) ids.push(await enqueueTenantJob(tenant, { kind: 'test.work', payload: { word: text }, runAt: env.clock.now() }));
    const runner = runnerWith(registry);
    runner.start();
    await sleep(100);
    await runner.stop();
    expect(runs).toEqual(['first']);
    expect((await Promise.all(ids.map(jobRow))).map((row) => row.status)).toEqual(['done', 'pending', 'pending']);
  });
});
