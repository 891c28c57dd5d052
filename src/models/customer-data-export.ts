import { ForbiddenError } from '../lib/errors.js';
import type { FileStores } from '../lib/storage/index.js';
import { signedInUser, type Scope, type TenantTable } from '../db/scope.js';
import { logEvent } from './audit.js';
import { chunksOf, collectPurgeRows, ownedTables } from './purge-plan.js';
import { rowsForPurge } from './visibility.js';

/**
 * Everything of one customer (D2, issue 18 item 6), found as its purge would find it
 * (purge-plan.ts): every record, table by table, and the content of its files and of the e-mails
 * that became its tickets. Left out are credentials, which are no one's data to hand over: sessions
 * (a session id signs someone in), one-time links' hashes and password hashes; and the database
 * store's chunks, whose content is in the files.
 */
export type CustomerDataExport = { tables: Record<string, Array<Record<string, unknown>>>; files: Array<{ path: string; content: Buffer }> };

const omittedTables = new Set<TenantTable>(['sessions', 'password_tokens', 'file_blobs']);
const omittedColumns: Partial<Record<TenantTable, readonly string[]>> = { users: ['password_hash'] };

/** A message's link may be a one-time link (an invitation, a reset) that still works: it is no one's data to hand over either. */
function withoutCredentials(table: TenantTable, record: Record<string, unknown>): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(record).filter(([column]) => !(omittedColumns[table] ?? []).includes(column)));
  if (table !== 'outbox' || typeof kept.data !== 'string') return kept;
  try {
    const data = JSON.parse(kept.data) as Record<string, unknown>;
    return 'link' in data ? { ...kept, data: JSON.stringify({ ...data, link: '[omitted]' }) } : kept;
  } catch {
    return kept;
  }
}

/**
 * Reads the export of a customer (superadmins) and puts it on record (`customer.exported`, with the
 * numbers of tables, rows and files). Built in memory: the caller zips it.
 */
export async function exportCustomerData(scope: Scope, stores: FileStores, customerId: number): Promise<CustomerDataExport> {
  if (signedInUser(scope).role !== 'superadmin') throw new ForbiddenError('only a superadmin exports a customer');
  const found = await collectPurgeRows(scope, 'customer', customerId);
  const tables: CustomerDataExport['tables'] = {};
  for (const [table, rows] of found) {
    if (omittedTables.has(table) || rows.size === 0) continue;
    const key = ownedTables.find((owned) => owned.table === table)?.key ?? 'id';
    const records: Array<Record<string, unknown>> = [];
    for (const chunk of chunksOf([...rows.keys()])) {
      const read = await rowsForPurge(scope, table).whereIn(`${table}.${key}`, chunk).orderBy(`${table}.${key}`).select(`${table}.*`);
      for (const record of read) records.push(withoutCredentials(table, record));
    }
    tables[table] = records;
  }
  const files: CustomerDataExport['files'] = [];
  for (const file of tables.stored_files ?? []) {
    files.push({ path: `files/${file.id}-${String(file.safe_name)}`, content: await contentOf(scope, stores, String(file.store), String(file.store_key)) });
  }
  for (const message of tables.mail_intake ?? []) {
    files.push({ path: `mail/${message.id}.eml`, content: await contentOf(scope, stores, String(message.raw_store), String(message.raw_store_key)) });
  }
  const rowCount = Object.values(tables).reduce((sum, records) => sum + records.length, 0);
  await logEvent(scope, { action: 'customer.exported', subjectType: 'customer', subjectId: customerId, details: { tables: Object.keys(tables).length, rows: rowCount, files: files.length } });
  return { tables, files };
}

async function contentOf(scope: Scope, stores: FileStores, store: string, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await stores.named(store).get(scope, key)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
