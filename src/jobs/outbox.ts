import type { Knex } from 'knex';
import type { i18n as I18n } from 'i18next';
import { watchAvailability } from '../db/availability.js';
import type { Logger } from '../lib/logger.js';
import type { Mailer } from '../lib/mail.js';
import { renderMail } from '../lib/mail-templates.js';
import type { Clock } from '../lib/time.js';
import { openSystemWork } from '../db/installation.js';
import { claimDueMail, markMailFailed, markMailSent } from '../models/outbox.js';

export type OutboxWorker = { runOnce(): Promise<number>; start(): void; stop(): Promise<void> };

/**
 * Sends queued e-mail: claims due messages, renders each in its recipient's language, sends it,
 * and marks it sent or schedules a retry. Several processes may run it side by side.
 */
export function createOutboxWorker(deps: {
  db: Knex;
  mailer: Mailer;
  i18n: I18n;
  logger: Logger;
  clock: Clock;
  intervalMs?: number;
  batchSize?: number;
  /** Drop one-time links from sent messages (production; the development mailbox shows them). */
  forgetsLinks?: boolean;
}): OutboxWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function runOnce(): Promise<number> {
    const system = openSystemWork(deps.db, deps.clock, 'job mail.deliver');
    const batch = await claimDueMail(system, { limit: deps.batchSize ?? 20 });
    let sent = 0;
    for (const entry of batch) {
      try {
        await deps.mailer.send(renderMail(deps.i18n, entry));
        await markMailSent(system, entry, { forgetLinks: deps.forgetsLinks ?? false });
        sent += 1;
      } catch (error) {
        deps.logger.warn({ err: error, outboxId: entry.id, attempts: entry.attempts + 1 }, 'e-mail not sent; will retry');
        await markMailFailed(system, entry, error instanceof Error ? error.message : String(error));
      }
    }
    return sent;
  }

  function tick(): void {
    if (running) return;
    running = runOnce()
      .catch((error: unknown) => {
        // An outage is logged once, by the watch; a run every few seconds adds nothing to it.
        if (!watchAvailability(deps.db, deps.logger).noteFailure(error)) deps.logger.warn({ err: error }, 'outbox run failed; will try again');
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
  }

  return {
    runOnce,
    start() {
      timer = setInterval(tick, deps.intervalMs ?? 5000);
      timer.unref();
      tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
