import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { openSystemWork } from '../db/installation.js';
import { createDatabase } from '../db/knex.js';
import { systemClock } from '../lib/time.js';
import { migrateToLatest } from '../db/migrations.js';
import type { ChainBreak } from '../lib/audit-chain.js';
import { verifyAuditChain, type AuditChainReport } from '../models/audit-verification.js';
import { findAnyTenantBySlug } from '../models/tenant.js';

/**
 * `audit:verify --tenant SLUG`: walks the tenant's audit chain and prints one line.
 * @returns 0 when the chain is intact, 1 when it is broken, 2 without a known tenant
 */
export async function verifyAuditCommand(args: string[], settings: Config, usage: string): Promise<number> {
  const { values } = parseArgs({ args, options: { tenant: { type: 'string' } } });
  if (!values.tenant) {
    console.error(`--tenant is required\n\n${usage}`);
    return 2;
  }
  const db = createDatabase({ databaseUrl: settings.databaseUrl, sqliteFile: settings.sqliteFile });
  try {
    await migrateToLatest(db);
    const system = openSystemWork(db, systemClock, 'cli audit:verify');
    const tenant = await findAnyTenantBySlug(system, values.tenant);
    if (!tenant) {
      console.error(`No tenant with the slug "${values.tenant}".`);
      return 2;
    }
    const report = await verifyAuditChain(system.scopeFor(tenant.id));
    console.log(describeReport(tenant.slug, report));
    return report.isIntact ? 0 : 1;
  } finally {
    await db.destroy();
  }
}

export function describeReport(slug: string, report: AuditChainReport): string {
  const chain = `The audit chain of tenant "${slug}"`;
  if (report.isIntact) return `${chain} is intact: ${report.rows} ${report.rows === 1 ? 'entry' : 'entries'}, the last with hash ${report.lastHash}.`;
  return `${chain} is broken: ${describeBreak(report.break)}`;
}

function describeBreak(found: ChainBreak): string {
  if (found.sequence === null) return `the entry with id ${found.rowId} has no sequence number: it was inserted around the chain.`;
  if (found.kind === 'missing') return `entry ${found.sequence} is missing: it was removed.`;
  if (found.kind === 'edited') return `entry ${found.sequence} (id ${found.rowId}) was changed after it was written.`;
  return `entry ${found.sequence} (id ${found.rowId}) does not follow entry ${found.sequence - 1}: it was inserted or moved.`;
}
