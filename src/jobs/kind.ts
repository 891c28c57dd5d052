import type { Links } from '../lib/urls.js';
import type { i18n as I18n } from 'i18next';
import type { Knex } from 'knex';
import { watchAvailability, type DatabaseAvailability } from '../db/availability.js';
import { openSystemWork, type SystemWork } from '../db/installation.js';
import type { z } from 'zod';
import type { Logger } from '../lib/logger.js';
import type { Mailer } from '../lib/mail.js';
import type { ImapMailbox } from '../lib/imap-mailboxes.js';
import type { Clock } from '../lib/time.js';
import type { Job } from '../models/job.js';

/** What a job's handler may use: system work on the database (its now() is the clock), the mailer, translations and the log. */
export type JobContext = {
  system: SystemWork;
  /** The process's watch of the database, so that an outage is logged once, not by every run. */
  availability: DatabaseAvailability;
  mailer: Mailer;
  i18n: I18n;
  logger: Logger;
  /** Drop one-time links from sent messages (production; the development mailbox shows them). */
  forgetsLinks: boolean;
  /** The folder of uploaded files (FILES_DIR), for deleting their content; undefined: files are in the database. */
  filesDirectory?: string | undefined;
  /** The mailboxes to poll for e-mail that becomes tickets (IMAP_URL); none: no polling. */
  imapMailboxes?: readonly ImapMailbox[] | undefined;
  /** Absolute links (BASE_URL) for the e-mails work of a job causes: a ticket that came by e-mail is announced to its caretaker. */
  links?: Links | undefined;
};

/** The context of a process's jobs on its database: system work (named) and the process's watch of the database. */
export function jobContextOn(db: Knex, { clock, ...deps }: Omit<JobContext, 'system' | 'availability'> & { clock: Clock }): JobContext {
  return { ...deps, system: openSystemWork(db, clock, 'jobs'), availability: watchAvailability(db, deps.logger) };
}

/** One kind of job: its payload's schema, how it is retried, and what it does. */
export type JobKind<Payload> = {
  payload: z.ZodType<Payload>;
  maxAttempts: number;
  /** Seconds to wait after the given number of failed attempts. */
  retryAfterSeconds(failedAttempts: number): number;
  /** How long a worker holds the job; it renews the lease while the handler runs. */
  leaseSeconds: number;
  /** Scheduled system work: enqueued once per period of this many seconds. */
  everySeconds?: number;
  /** Whether this process schedules the kind at all (polling with no mailbox set would queue empty jobs); scheduled when absent. */
  isScheduledIn?(context: JobContext): boolean;
  run(context: JobContext, payload: Payload, job: Job): Promise<void>;
  /** Called once when the job has failed for the last time. */
  giveUp?(context: JobContext, payload: Payload, job: Job, error: string): Promise<void>;
};

/** A wait that doubles with each failed attempt, from the first wait up to the longest. */
export function doublingWait(firstSeconds: number, longestSeconds: number): (failedAttempts: number) => number {
  return (failedAttempts) => Math.min(firstSeconds * 2 ** Math.max(0, failedAttempts - 1), longestSeconds);
}

/**
 * Runs a scheduled job's work for each tenant in turn: a tenant's failure is logged and does not stop
 * the others; the job fails (and is tried again) after the rest have run, naming the tenants that failed.
 */
export async function forEachTenant(context: JobContext, tenantIds: readonly number[], what: string, work: (tenantId: number) => Promise<void>): Promise<void> {
  const failures: string[] = [];
  for (const tenantId of tenantIds) {
    try {
      await work(tenantId);
    } catch (error) {
      context.logger.warn({ err: error, tenantId }, `${what} failed`);
      failures.push(`${tenantId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length > 0) throw new Error(`${what} failed for tenants ${failures.join('; ')}`);
}
