import type { Scope } from '../db/scope.js';
import type { Knex } from 'knex';
import { visibleAccounts, visibleCustomers, visibleGroups, visibleLedgerEntries, visibleMailIntake, visibleTickets } from './visibility.js';
import type { Page } from '../lib/pagination.js';
import { normalizeIp } from '../lib/ip.js';
import { logEvent } from './audit.js';
import { applyAuditFilter, type ResolvedAuditFilter } from './audit-filters.js';
import { ticketNumber } from './ticket.js';
import { nameFromColumns } from './user.js';

/**
 * Who acted or what was acted on, named from its id as it is today. The log keeps ids only, so
 * `isRemoved` says the record is gone (a purged person, a deleted group) and there is no name.
 */
export type AuditParty = { type: string; id: number | null; name: string | null; login: string | null; isRemoved: boolean };

export type AuditEntry = {
  id: number;
  sequence: number | null;
  action: string;
  actor: AuditParty | null;
  subject: AuditParty | null;
  details: Record<string, unknown> | null;
  ip: string | null;
  createdAt: string;
};

type Names = Map<number, { name: string; login: string | null }>;

/** The kinds of record the page names, each read in one query for the whole page. */
const nameLookups: Record<string, (scope: Scope, ids: number[]) => Promise<Names>> = {
  user: async (scope, ids) => {
    const rows: Array<Record<string, unknown>> = await visibleAccounts(scope).whereIn('users.id', ids).select('users.id', 'users.first_name', 'users.last_name', 'users.login');
    return new Map(rows.map((row) => [Number(row.id), { name: nameFromColumns(row.first_name, row.last_name), login: String(row.login) }]));
  },
  customer: (scope, ids) => namesOf(visibleCustomers(scope), 'customers', ids),
  group: (scope, ids) => namesOf(visibleGroups(scope), 'groups', ids),
  // A ticket by its number and title, as staff say it on the phone (2026/000123).
  ticket: async (scope, ids) => {
    const tickets = await visibleTickets(scope);
    const rows: Array<Record<string, unknown>> = await tickets().whereIn('tickets.id', ids).select('tickets.id', 'tickets.year', 'tickets.sequence', 'tickets.title');
    return new Map(rows.map((row) => [Number(row.id), { name: `${ticketNumber(Number(row.year), Number(row.sequence))} ${String(row.title)}`, login: null }]));
  },
  // A ticket category by both its names: the log's readers may read either language.
  ticket_category: async (scope, ids) => {
    const rows: Array<Record<string, unknown>> = await scope.table('ticket_categories').whereIn('id', ids).select('id', 'name_pl', 'name_en');
    return new Map(rows.map((row) => [Number(row.id), { name: `${String(row.name_pl)} / ${String(row.name_en)}`, login: null }]));
  },
  // A ledger entry by its document's number (a payment's reference) and its customer: "FV/2/2026 (Alfa sp. z o.o.)".
  ledger_entry: async (scope, ids) => {
    const rows: Array<Record<string, unknown>> = await visibleLedgerEntries(scope)
      .leftJoin('customers', function () {
        this.on('customers.tenant_id', '=', 'ledger_entries.tenant_id').andOn('customers.id', '=', 'ledger_entries.customer_id');
      })
      .whereIn('ledger_entries.id', ids)
      .select('ledger_entries.id', 'ledger_entries.document_number', 'customers.name as customer_name');
    return new Map(rows.map((row) => {
      const number = row.document_number ? String(row.document_number) : `#${String(row.id)}`;
      return [Number(row.id), { name: row.customer_name ? `${number} (${String(row.customer_name)})` : number, login: null }];
    }));
  },
  // An import by the name of its file.
  import: async (scope, ids) => {
    const rows: Array<Record<string, unknown>> = await scope.table('imports').whereIn('id', ids).select('id', 'file_name');
    return new Map(rows.map((row) => [Number(row.id), { name: String(row.file_name), login: null }]));
  },
  // A kept e-mail message by its subject (its number when it had none).
  mail_intake: async (scope, ids) => {
    const rows: Array<Record<string, unknown>> = await visibleMailIntake(scope).whereIn('mail_intake.id', ids).select('mail_intake.id', 'mail_intake.subject');
    return new Map(rows.map((row) => [Number(row.id), { name: row.subject ? String(row.subject) : `#${String(row.id)}`, login: null }]));
  },
  // An announcement by its title.
  announcement: async (scope, ids) => {
    const rows: Array<Record<string, unknown>> = await scope.table('announcements').whereIn('id', ids).select('id', 'title');
    return new Map(rows.map((row) => [Number(row.id), { name: String(row.title), login: null }]));
  },
  tenant: async (scope) => {
    const row = await scope.tenantRow().first('name');
    return new Map(row ? [[scope.tenantId, { name: String(row.name), login: null }]] : []);
  },
};

async function namesOf(query: Knex.QueryBuilder, table: string, ids: number[]): Promise<Names> {
  const rows: Array<Record<string, unknown>> = await query.whereIn(`${table}.id`, ids).select(`${table}.id`, `${table}.name`);
  return new Map(rows.map((row) => [Number(row.id), { name: String(row.name), login: null }]));
}

/** One page of the tenant's log, newest first, narrowed to the filter, with the actor and the subject named. */
export async function listAuditEntries(scope: Scope, filter: ResolvedAuditFilter, page: Page): Promise<{ entries: AuditEntry[]; total: number }> {
  const [countRow, rows] = await Promise.all([
    applyAuditFilter(scope.table('audit_log'), filter).count({ count: '*' }).first(),
    applyAuditFilter(scope.table('audit_log'), filter).orderBy('sequence', 'desc').orderBy('id', 'desc').limit(page.perPage).offset(page.offset),
  ]);
  return { entries: await namedEntries(scope, rows), total: Number(countRow?.count ?? 0) };
}

/** How many entries the filter keeps. */
export async function countAuditEntries(scope: Scope, filter: ResolvedAuditFilter): Promise<number> {
  const row = await applyAuditFilter(scope.table('audit_log'), filter).count({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

/**
 * Every entry the filter keeps, newest first, a batch at a time (the CSV export): each batch is one
 * read of the log and one per kind of record named, however long the log is. Batches follow the id
 * downwards, so entries written meanwhile neither repeat nor push others out.
 */
export async function* auditEntryBatches(scope: Scope, filter: ResolvedAuditFilter, batchSize = 500): AsyncGenerator<AuditEntry[]> {
  let belowId: number | undefined;
  for (;;) {
    const query = applyAuditFilter(scope.table('audit_log'), filter).orderBy('id', 'desc').limit(batchSize);
    if (belowId !== undefined) query.where('id', '<', belowId);
    const rows: Array<Record<string, unknown>> = await query;
    if (rows.length === 0) return;
    yield await namedEntries(scope, rows);
    if (rows.length < batchSize) return;
    belowId = Number(rows.at(-1)!.id);
  }
}

/** The actions the tenant's log holds, for the filter's choices. */
export async function actionsInAuditLog(scope: Scope): Promise<string[]> {
  return (await scope.table('audit_log').distinct('action').orderBy('action').pluck('action')).map(String);
}

/** Exporting the log is itself on record: who took which part of it. */
export async function recordAuditExport(scope: Scope, details: { rows: number; filters: Record<string, string> }): Promise<void> {
  await logEvent(scope, { action: 'audit.exported', details: { rows: details.rows, ...details.filters } });
}

async function namedEntries(scope: Scope, rows: Array<Record<string, unknown>>): Promise<AuditEntry[]> {
  const parties: Array<AuditParty | null> = rows.flatMap((row) => [partyOf('user', row.actor_id), partyOf(row.subject_type, row.subject_id)]);
  const names = await lookUpNames(scope, parties.filter((party): party is AuditParty => party !== null));
  const named = (party: AuditParty | null) => (party ? nameParty(scope, party, names) : null);
  return rows.map((row) => ({
    id: Number(row.id),
    sequence: row.sequence === null ? null : Number(row.sequence),
    action: String(row.action),
    actor: named(partyOf('user', row.actor_id)),
    subject: named(partyOf(row.subject_type, row.subject_id)),
    details: parsedDetails(row.details),
    ip: normalizeIp((row.ip as string | null) ?? null),
    createdAt: String(row.created_at),
  }));
}

/** Details edited into something that is not JSON are the chain's business (audit:verify), not a reason for the page to fail. */
function parsedDetails(stored: unknown): Record<string, unknown> | null {
  if (typeof stored !== 'string' || stored === '') return null;
  try {
    return JSON.parse(stored) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function partyOf(type: unknown, id: unknown): AuditParty | null {
  if (type === null || type === undefined) return null;
  if (type === 'user' && (id === null || id === undefined)) return null;
  return { type: String(type), id: id === null || id === undefined ? null : Number(id), name: null, login: null, isRemoved: false };
}

async function lookUpNames(scope: Scope, parties: AuditParty[]): Promise<Map<string, Names>> {
  const kinds = Object.keys(nameLookups).filter((type) => parties.some((party) => party.type === type));
  const found = await Promise.all(
    kinds.map((type) => nameLookups[type]!(scope, [...new Set(parties.filter((party) => party.type === type && party.id !== null).map((party) => party.id!))])),
  );
  return new Map(kinds.map((type, index) => [type, found[index]!]));
}

function nameParty(scope: Scope, party: AuditParty, names: Map<string, Names>): AuditParty {
  const known = names.get(party.type);
  if (!known) return party;
  // A setting changed for the tenant as a whole has no id: it is about the scope's own tenant.
  const id = party.type === 'tenant' ? (party.id ?? scope.tenantId) : party.id;
  const found = id === null ? undefined : known.get(id);
  return found ? { ...party, name: found.name, login: found.login } : { ...party, isRemoved: true };
}
