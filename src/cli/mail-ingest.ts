import { createLinks, createPathTo } from '../lib/urls.js';
import { routeTable } from '../routes.js';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { openSystemWork } from '../db/installation.js';
import { createDatabase } from '../db/knex.js';
import { migrateToLatest } from '../db/migrations.js';
import { createI18n } from '../lib/i18n.js';
import { localesDirectory } from '../lib/paths.js';
import { fileStoresFor } from '../lib/storage/index.js';
import { systemClock } from '../lib/time.js';
import { findAnyTenantBySlug } from '../models/tenant.js';
import { ingestMessage, type IngestOutcome } from '../models/ticket-mail-intake.js';

/**
 * `mail:ingest --tenant SLUG < message.eml`: takes one raw e-mail message from standard input into
 * the tenant (T9), as the IMAP poller does, and prints what became of it.
 * @returns 0 when it was filed, kept as unmatched or was a duplicate; 1 when it is kept as failed; 2 for bad usage or an unknown tenant
 */
export async function ingestMailCommand(args: string[], settings: Config, usage: string, input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const { values } = parseArgs({ args, options: { tenant: { type: 'string' } } });
  if (!values.tenant) {
    console.error(`--tenant is required\n\n${usage}`);
    return 2;
  }
  const raw = await readAll(input);
  const db = createDatabase({ databaseUrl: settings.databaseUrl, sqliteFile: settings.sqliteFile });
  try {
    await migrateToLatest(db);
    const system = openSystemWork(db, systemClock, 'cli mail:ingest');
    const tenant = await findAnyTenantBySlug(system, values.tenant);
    if (!tenant) {
      console.error(`No tenant with the slug "${values.tenant}".`);
      return 2;
    }
    const outcome = await ingestMessage(system.scopeFor(tenant.id), raw, { stores: fileStoresFor(settings), i18n: createI18n(localesDirectory), links: createLinks(createPathTo(routeTable()), settings.baseUrl) }, 'cli');
    console.log(describeOutcome(outcome));
    return outcome.outcome === 'failed' ? 1 : 0;
  } finally {
    await db.destroy();
  }
}

async function readAll(input: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

export function describeOutcome(outcome: IngestOutcome): string {
  const kept = `kept as incoming message ${outcome.intakeId}`;
  if (outcome.outcome === 'filed') return `${outcome.isReply ? 'Added as a reply to' : 'Filed as'} ticket ${outcome.ticketId}; ${kept}.`;
  if (outcome.outcome === 'unmatched') return `From an unknown sender: ${kept}, waiting in the unassigned queue for staff to choose the customer.`;
  if (outcome.outcome === 'duplicate') return `Already received (the same Message-ID): nothing filed again; ${kept}.`;
  return `Could not be filed (${outcome.error}); ${kept}, shown to admins.`;
}
