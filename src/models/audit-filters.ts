import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { nextCalendarDate, startOfDayIn, toDatabaseTime } from '../lib/time.js';
import { caselessGlob } from './customer-list.js';
import { visibleAccounts, visibleCustomers, visibleGroups } from './visibility.js';

/**
 * What the audit log page and its CSV export are narrowed to (D3). Every part is optional; an
 * actor or a subject is an id or words of a name (a login for accounts), looked up today, since the
 * log keeps ids only. Days are the tenant's calendar days, both ends included.
 */
export type AuditFilter = {
  actor?: string;
  action?: string;
  subjectType?: string;
  subject?: string;
  from?: string;
  to?: string;
};

/** The kinds of record an entry may be about and that the filter can find by name. */
export const namedSubjectTypes = ['user', 'customer', 'group', 'tenant'] as const;

/** The filter with its names turned into ids (one query per kind named) and its days into UTC times. */
export type ResolvedAuditFilter = {
  actorIds?: number[];
  action?: string;
  subjects?: Array<{ type: string; ids?: number[] }>;
  since?: string;
  before?: string;
};

/** An id typed as 12 or #12. */
function idIn(text: string): number | undefined {
  const match = /^#?(\d{1,10})$/.exec(text.trim());
  const id = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 && id < 2 ** 31 ? id : undefined;
}

/**
 * A field containing the term in any letter case, Polish letters included, on both databases:
 * as the customer list searches (models/customer-list.ts).
 */
function orContains(scope: Scope, builder: Knex.QueryBuilder, field: string, term: string): void {
  if (scope.isMysql) builder.orWhereRaw('lower(??) like ?', [field, `%${term.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`]);
  else builder.orWhereRaw('?? glob ?', [field, `*${caselessGlob(term)}*`]);
}

const wordsOf = (text: string) => text.trim().split(/\s+/).filter(Boolean).slice(0, 5);

/** Accounts whose name or login holds every word typed ("anna nowak", "anna", "nowak", a login). */
async function accountIdsNamed(scope: Scope, text: string): Promise<number[]> {
  const query = visibleAccounts(scope);
  for (const word of wordsOf(text)) {
    query.where((any) => {
      for (const field of ['users.first_name', 'users.last_name', 'users.login', 'users.email']) orContains(scope, any, field, word);
    });
  }
  return (await query.limit(1000).pluck('users.id')).map(Number);
}

async function idsNamed(scope: Scope, type: string, text: string): Promise<number[]> {
  if (type === 'user') return accountIdsNamed(scope, text);
  if (type === 'tenant') {
    const tenant = await scope.tenantRow().first('name');
    const name = String(tenant?.name ?? '').toLocaleLowerCase('pl');
    return wordsOf(text).every((word) => name.includes(word.toLocaleLowerCase('pl'))) ? [scope.tenantId] : [];
  }
  const [query, table] = type === 'customer' ? [visibleCustomers(scope), 'customers'] : [visibleGroups(scope), 'groups'];
  for (const word of wordsOf(text)) query.where((any) => orContains(scope, any, `${table}.name`, word));
  return (await query.limit(1000).pluck(`${table}.id`)).map(Number);
}

/** Turns the names of a filter into ids and its days into times, for the queries below. */
export async function resolveAuditFilter(scope: Scope, filter: AuditFilter, timeZone: string): Promise<ResolvedAuditFilter> {
  const resolved: ResolvedAuditFilter = { action: filter.action };
  if (filter.actor) {
    const id = idIn(filter.actor);
    resolved.actorIds = id ? [id] : await accountIdsNamed(scope, filter.actor);
  }
  if (filter.subject || filter.subjectType) {
    const types = filter.subjectType ? [filter.subjectType] : [...namedSubjectTypes];
    const id = filter.subject ? idIn(filter.subject) : undefined;
    if (!filter.subject) resolved.subjects = types.map((type) => ({ type }));
    else if (id) resolved.subjects = types.map((type) => ({ type, ids: [id] }));
    else {
      const searchable = types.filter((type) => (namedSubjectTypes as readonly string[]).includes(type));
      const found = await Promise.all(searchable.map((type) => idsNamed(scope, type, filter.subject!)));
      resolved.subjects = searchable.map((type, index) => ({ type, ids: found[index]! }));
    }
  }
  if (filter.from) resolved.since = toDatabaseTime(startOfDayIn(filter.from, timeZone));
  if (filter.to) resolved.before = toDatabaseTime(startOfDayIn(nextCalendarDate(filter.to), timeZone));
  return resolved;
}

/** Narrows a query of audit_log to the filter. */
export function applyAuditFilter(query: Knex.QueryBuilder, filter: ResolvedAuditFilter): Knex.QueryBuilder {
  if (filter.actorIds) query.whereIn('actor_id', filter.actorIds);
  if (filter.action) query.where('action', filter.action);
  if (filter.subjects) {
    const subjects = filter.subjects;
    query.where((any) => {
      if (subjects.length === 0) any.whereRaw('1 = 0');
      for (const subject of subjects) {
        any.orWhere((one) => {
          one.where('subject_type', subject.type);
          // The tenant's own settings are logged without an id: they are about this tenant.
          if (subject.ids && subject.type === 'tenant') one.where((tenant) => tenant.whereIn('subject_id', subject.ids!).orWhereNull('subject_id'));
          else if (subject.ids) one.whereIn('subject_id', subject.ids);
        });
      }
    });
  }
  if (filter.since) query.where('created_at', '>=', filter.since);
  if (filter.before) query.where('created_at', '<', filter.before);
  return query;
}
