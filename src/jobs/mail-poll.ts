import { z } from 'zod';
import type { ImapMailbox } from '../lib/imap-mailboxes.js';
import { fileStoresFor } from '../lib/storage/index.js';
import { findAnyTenantBySlug } from '../models/tenant.js';
import { ingestMessage } from '../models/ticket-mail-intake.js';
import type { JobContext, JobKind } from './kind.js';

const noPayload = z.object({});
/** Messages taken from one mailbox in one run: a full mailbox is emptied over several minutes, each run bounded. */
export const messagesPerRun = 50;

/**
 * 'mail.poll': scheduled system work, once a minute across all processes (the runner's unique key),
 * and only where IMAP_URL names mailboxes. Each unseen message of each mailbox goes to the same
 * ingestMessage as the CLI's ingest command; it is marked seen (or moved to the `processed` folder) only once
 * it is kept in the database, so a crash or an outage in between leaves it unseen, to be taken next
 * time, and ingestion knows it again by its Message-ID.
 */
export const mailPoll: JobKind<z.infer<typeof noPayload>> = {
  payload: noPayload,
  maxAttempts: 1,
  retryAfterSeconds: () => 60,
  leaseSeconds: 5 * 60,
  everySeconds: 60,
  isScheduledIn: (context) => (context.imapMailboxes?.length ?? 0) > 0,
  async run(context) {
    const failures: string[] = [];
    for (const mailbox of context.imapMailboxes ?? []) {
      try {
        await pollMailbox(context, mailbox);
      } catch (error) {
        // One mailbox's trouble (a wrong password, a server away) does not keep the others from being read.
        context.logger.warn({ err: error, tenant: mailbox.tenantSlug, host: mailbox.host, mailbox: mailbox.mailbox }, 'mailbox could not be polled');
        failures.push(`${mailbox.tenantSlug}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`polling failed for ${failures.join('; ')}`);
  },
};

/** Reads one mailbox's unseen messages into its tenant. @returns how many were taken */
export async function pollMailbox(context: JobContext, mailbox: ImapMailbox): Promise<number> {
  const tenant = await findAnyTenantBySlug(context.system, mailbox.tenantSlug);
  if (!tenant) throw new Error(`IMAP_URL names the tenant "${mailbox.tenantSlug}", which does not exist`);
  const scope = context.system.scopeFor(tenant.id);
  const deps = { stores: fileStoresFor({ filesDirectory: context.filesDirectory }), i18n: context.i18n, links: context.links };
  // imapflow takes about 0.3 s to load: only a process that polls a mailbox loads it.
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({ host: mailbox.host, port: mailbox.port, secure: mailbox.isSecure, auth: { user: mailbox.user, pass: mailbox.password }, logger: false });
  await client.connect();
  try {
    const lock = await client.getMailboxLock(mailbox.mailbox);
    try {
      const unseen = (await client.search({ seen: false }, { uid: true })) || [];
      const taken = unseen.slice(0, messagesPerRun);
      for (const uid of taken) {
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (!message || !message.source) continue;
        const outcome = await ingestMessage(scope, message.source, deps, 'imap');
        context.logger.info({ tenant: tenant.slug, intakeId: outcome.intakeId, outcome: outcome.outcome }, 'e-mail message taken in');
        if (mailbox.processedFolder) await client.messageMove(String(uid), mailbox.processedFolder, { uid: true });
        else await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      }
      return taken.length;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}
