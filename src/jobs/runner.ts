import { randomUUID } from 'node:crypto';
import { toDatabaseTime } from '../lib/time.js';
import { claimJob, completeJob, enqueueSystemJob, failJob, renewLease, type Job } from '../models/job.js';
import type { JobContext, JobKind } from './kind.js';
import { jobKinds, type JobRegistry } from './registry.js';

export type JobRunner = {
  /** Runs the jobs that are due now, one after another, as a worker does; resolves with how many succeeded. */
  runDue(): Promise<number>;
  /** Enqueues the scheduled kinds' job of the current period (once per period, whoever asks). */
  enqueueScheduled(): Promise<void>;
  start(): void;
  /** Takes no further job and resolves once the job in hand has finished. */
  stop(): Promise<void>;
};

/**
 * Runs background jobs in this process. Several processes (WEB_CONCURRENCY, `npm run worker`,
 * other machines) may run side by side on one database: each job is taken under a lease, so it
 * runs in one worker at a time, and a job whose worker died is taken up once its lease runs out.
 * The lease of a job in hand is renewed every `renewEveryMs` (a third of the kind's lease unless
 * given; a test renews more often so as not to wait for it).
 */
export function createJobRunner(context: JobContext, options: { registry?: JobRegistry; pollMs?: number; owner?: string; renewEveryMs?: number } = {}): JobRunner {
  const registry: JobRegistry = options.registry ?? (jobKinds as unknown as JobRegistry);
  const owner = options.owner ?? randomUUID();
  const { availability, system } = context;
  const scheduledPeriods = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let isStopping = false;

  async function runNext(): Promise<boolean | undefined> {
    const job = await claimJob(system, { owner, kinds: Object.keys(registry), leaseSecondsOf: (kind) => registry[kind]!.leaseSeconds });
    if (!job) return undefined;
    return execute(registry[job.kind]!, job);
  }

  async function execute(kind: JobKind<unknown>, job: Job): Promise<boolean> {
    const parsed = kind.payload.safeParse(job.payload);
    if (!parsed.success) return failed(kind, job, new Error(`payload does not fit ${job.kind}: ${parsed.error.issues[0]?.message}`), true);
    if (job.attempts > kind.maxAttempts) return failed(kind, job, new Error('its worker stopped before it finished, too many times'), true);
    const renewal = setInterval(() => {
      renewLease(system, job, owner, new Date(system.now().getTime() + kind.leaseSeconds * 1000)).catch(() => undefined);
    }, options.renewEveryMs ?? (kind.leaseSeconds * 1000) / 3);
    renewal.unref();
    try {
      await kind.run(context, parsed.data, job);
    } catch (error) {
      return failed(kind, job, error, job.attempts >= kind.maxAttempts);
    } finally {
      clearInterval(renewal);
    }
    await completeJob(system, job, owner);
    return true;
  }

  async function failed(kind: JobKind<unknown>, job: Job, error: unknown, isFinal: boolean): Promise<false> {
    const message = error instanceof Error ? error.message : String(error);
    const now = system.now();
    const retryAt = isFinal ? null : new Date(now.getTime() + kind.retryAfterSeconds(job.attempts) * 1000);
    context.logger.warn({ err: error, jobId: job.id, kind: job.kind, attempts: job.attempts, retryAt }, isFinal ? 'job failed for good' : 'job failed; will try again');
    // A worker whose lease was taken leaves the job, its failure and its giving up to the one that took it.
    const isHeld = await failJob(system, job, owner, { error: message, retryAt });
    if (isHeld && isFinal && kind.giveUp) await kind.giveUp(context, job.payload, job, message).catch((giveUpError: unknown) => context.logger.error({ err: giveUpError, jobId: job.id }, 'job could not be marked as given up'));
    return false;
  }

  async function runDue(): Promise<number> {
    let succeeded = 0;
    for (let outcome = await runNext(); outcome !== undefined && !isStopping; outcome = await runNext()) if (outcome) succeeded += 1;
    return succeeded;
  }

  async function enqueueScheduled(): Promise<void> {
    const now = system.now();
    for (const [name, kind] of Object.entries(registry)) {
      if (!kind.everySeconds || kind.isScheduledIn?.(context) === false) continue;
      const periodStart = new Date(Math.floor(now.getTime() / (kind.everySeconds * 1000)) * kind.everySeconds * 1000);
      const period = toDatabaseTime(periodStart);
      if (scheduledPeriods.get(name) === period) continue;
      await enqueueSystemJob(system, { kind: name, payload: {}, runAt: periodStart, uniqueKey: `${name}:${period}` });
      scheduledPeriods.set(name, period);
    }
  }

  function tick(): void {
    if (running || isStopping) return;
    running = enqueueScheduled()
      .then(runDue)
      .catch((error: unknown) => {
        // An outage is logged once, by the watch; a run every few seconds adds nothing to it.
        if (!availability.noteFailure(error)) context.logger.warn({ err: error }, 'job run failed; will try again');
      })
      .finally(() => {
        running = undefined;
      });
  }

  return {
    runDue,
    enqueueScheduled,
    start() {
      timer = setInterval(tick, options.pollMs ?? 2000);
      timer.unref();
      tick();
    },
    async stop() {
      isStopping = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
