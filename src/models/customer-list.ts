import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';

import { countedAtMost, keysetPageOf, readFrom, type KeysetOrder, type KeysetPage, type KeysetPagination } from '../lib/keyset.js';
import { visibleCustomers } from './visibility.js';
import { settingsWithGroupValues } from './settings.js';
import { nameFromColumns } from './user.js';

export const customerSorts = ['name-asc', 'name-desc', 'city-asc', 'city-desc', 'created-desc', 'created-asc'] as const;
export type CustomerSort = (typeof customerSorts)[number];

export type CustomerListQuery = {
  /** The start of the name, town, e-mail, tax id or customer number, in any letter case (whereSearched). */
  search: string;
  caretaker: 'all' | 'none' | number;
  status: 'active' | 'inactive' | 'all';
  /** Portal access in force for the customer's people (A6, D5): see portalStateSql. */
  portal: 'all' | PortalState;
  sort: CustomerSort;
};

export type CustomerListRow = {
  id: number;
  name: string;
  taxCountry: string;
  taxId: string | null;
  city: string | null;
  email: string | null;
  customerNumber: string | null;
  caretakerName: string | null;
  isActive: boolean;
  portalState: PortalState;
  createdAt: string;
};

/** Whitelisted sort columns: the request names a sort, never a column. */
const sortColumns: Record<string, string> = { name: 'customers.name', city: 'customers.city', created: 'customers.created_at' };


/**
 * One page of the customers the actor may see (a caretaker: their own; admins: all), filtered,
 * searched and sorted in the database. Keyset pagination (lib/keyset.ts): a page is read from the
 * index after the last row of the one before, however deep; the count stops at 1,000 ("more than").
 * Two statements whatever the page: the capped count and the page.
 */
export async function listCustomers(scope: Scope, query: CustomerListQuery, page: KeysetPage): Promise<{ rows: CustomerListRow[]; pagination: KeysetPagination }> {
  const portal = await settingsWithGroupValues(scope, 'portal.access');
  const portalValues = { tenant: portal.tenant['portal.access'].value, groups: portal.groups, defaultGroupId: portal.defaultGroupId };
  // The count needs no joins (unless the portal filter asks for the setting): ids from the tenant's index only.
  const counted = scope.derived(filtered(scope, query, portalValues, { isCounting: true }).select('customers.id').limit(countedAtMost + 1), 'counted');
  const [field, direction] = query.sort.split('-') as [string, 'asc' | 'desc'];
  const order = orderOf(scope, field, direction, Boolean(query.search));
  const portalState = portalStateSql(portalValues);
  const [countRow, read] = await Promise.all([
    counted.count({ count: '*' }).first(),
    readFrom(filtered(scope, query, portalValues), order, page.after ?? page.before, Boolean(page.before))
      .select('customers.*', 'caretakers.first_name as caretaker_first_name', 'caretakers.last_name as caretaker_last_name', scope.raw(`${portalState.sql} as portal_state`, portalState.bindings))
      .limit(page.perPage + 1) as Promise<Array<Record<string, unknown>>>,
  ]);
  const total = Number(countRow?.count ?? 0);
  const sortValue = sortColumns[field] ?? sortColumns.name!;
  const column = sortValue.slice('customers.'.length);
  const { rows, pagination } = keysetPageOf(page, read, { total: Math.min(total, countedAtMost), isCapped: total > countedAtMost }, (row) => ({ value: row[column] === null ? null : String(row[column]), id: Number(row.id) }));
  return { rows: rows.map(toRow), pagination };
}

/**
 * The list's order: a whitelisted column (the request names a sort, never a column), without letter
 * case for text on SQLite (as its nocase indexes). A search on MySQL sorts by concat(column): offered
 * the column itself, MariaDB walks the name index in order for the LIMIT and tests every name past the
 * term (50,000 rows, 0.6 s, for a term near the end of the alphabet on 100,000 customers), where the
 * merged ranges of the search's indexes and a sort of their rows take 0.04 s.
 */
function orderOf(scope: Scope, field: string, direction: 'asc' | 'desc', isSearch: boolean): KeysetOrder {
  const column = sortColumns[field] ?? sortColumns.name!;
  const isText = column !== sortColumns.created;
  const sql = scope.isMysql ? (isSearch ? `concat(${column})` : column) : isText ? `${column} collate nocase` : column;
  return { sql, direction, isNullable: column === sortColumns.city, idColumn: 'customers.id' };
}

/** Whether a customer's people may use the portal: all of them, none, or some (their groups differ). */
export type PortalState = 'on' | 'off' | 'mixed';

type PortalValues = { tenant: string; groups: ReadonlyMap<number, string>; defaultGroupId: number | null };
type Sql = { sql: string; bindings: Array<string | number> };

/**
 * The portal access in force for a customer's people, in SQL (D5: customer → the account's group
 * → tenant → default). The customer's own value decides for everyone. Without one, each active
 * client account takes its group's value or the tenant's: 'on' when every account may sign in,
 * 'off' when none may, 'mixed' otherwise; a customer without accounts shows what a new account (in
 * CLIENTS) would get. The groups' values are known beforehand (settingsWithGroupValues), so without
 * a group that sets one, as in most tenants, it is the customer's value or the tenant's.
 */
function portalStateSql(values: PortalValues): Sql {
  if (values.groups.size === 0) return { sql: 'coalesce(portal_settings.value, ?)', bindings: [values.tenant] };
  const idsOf = (value: string) => [...values.groups].filter(([, groupValue]) => groupValue === value).map(([id]) => id);
  const listOf = (ids: number[]) => (ids.length ? ids.map(() => '?').join(', ') : 'null');
  const on = idsOf('on');
  const off = idsOf('off');
  const accountValue: Sql = {
    sql: `(case when accounts.group_id in (${listOf(on)}) then 'on' when accounts.group_id in (${listOf(off)}) then 'off' else ? end)`,
    bindings: [...on, ...off, values.tenant],
  };
  const accounts = (condition?: string): Sql => ({
    sql: `exists (select 1 from users accounts where accounts.tenant_id = customers.tenant_id and accounts.customer_id = customers.id and accounts.role = 'client' and accounts.is_active = 1${condition ? ` and ${accountValue.sql} = '${condition}'` : ''})`,
    bindings: condition ? accountValue.bindings : [],
  });
  const newAccount = (values.defaultGroupId !== null && values.groups.get(values.defaultGroupId)) || values.tenant;
  const [any, anyOff, anyOn] = [accounts(), accounts('off'), accounts('on')];
  return {
    sql: `(case when portal_settings.value is not null then portal_settings.value when not ${any.sql} then ? when not ${anyOff.sql} then 'on' when not ${anyOn.sql} then 'off' else 'mixed' end)`,
    bindings: [...any.bindings, newAccount, ...anyOff.bindings, ...anyOn.bindings],
  };
}

function filtered(scope: Scope, query: CustomerListQuery, portalValues: PortalValues, options: { isCounting?: boolean } = {}): Knex.QueryBuilder {
  const builder = visibleCustomers(scope);
  if (!options.isCounting) {
    builder.leftJoin('users as caretakers', function joinCaretaker() {
      this.on('caretakers.tenant_id', '=', 'customers.tenant_id').andOn('caretakers.id', '=', 'customers.caretaker_id');
    });
  }
  if (!options.isCounting || query.portal !== 'all') {
    builder.leftJoin('settings as portal_settings', function joinPortalSetting() {
      this.on('portal_settings.tenant_id', '=', 'customers.tenant_id')
        .andOn('portal_settings.target_id', '=', 'customers.id')
        .andOnVal('portal_settings.level', '=', 'customer')
        .andOnVal('portal_settings.name', '=', 'portal.access');
    });
  }
  if (query.status !== 'all') builder.where('customers.is_active', query.status === 'active');
  if (query.caretaker === 'none') builder.whereNull('customers.caretaker_id');
  else if (typeof query.caretaker === 'number') builder.where('customers.caretaker_id', query.caretaker);
  if (query.portal !== 'all') {
    const portalState = portalStateSql(portalValues);
    builder.whereRaw(`${portalState.sql} = ?`, [...portalState.bindings, query.portal]);
  }
  if (query.search) whereSearched(scope, builder, query.search);
  return builder;
}

/**
 * The search (issue 20): the START of the name, the town, the e-mail address, the tax id or the
 * customer number, in any letter case; each field has a tenant-led index, so on MySQL every part is
 * an index range (merged), never a scan of 100,000 names, which a search for letters anywhere in a
 * name would be (docs/decisions.md, "Customer search by the start of a field"). A tax id is stored as
 * digits only, so 526-025-09-95 finds it too (a whole NIP is the exact match).
 */
export function whereSearched(scope: Scope, builder: Knex.QueryBuilder, term: string): void {
  const fields = ['customers.name', 'customers.city', 'customers.email', 'customers.tax_id', 'customers.customer_number'];
  const digits = /^[\d\s-]+$/.test(term) ? term.replace(/[\s-]/g, '') : '';
  builder.where((any) => {
    for (const field of fields) startsWithIgnoringCase(scope, any, field, term);
    if (digits && digits !== term) startsWithIgnoringCase(scope, any, 'customers.tax_id', digits);
  });
}

/**
 * MySQL's columns compare without letter case (utf8mb4_unicode_ci), so a LIKE of the term's start
 * is an index range as it is. SQLite's LIKE and lower() fold ASCII letters only (ł would not find Ł),
 * so there each letter becomes a GLOB class of both its cases: [łŁ] (a scan of the tenant's rows).
 */
function startsWithIgnoringCase(scope: Scope, builder: Knex.QueryBuilder, field: string, term: string): void {
  if (scope.isMysql) {
    builder.orWhere(field, 'like', `${term.replace(/[\\%_]/g, '\\$&')}%`);
  } else {
    builder.orWhereRaw('?? glob ?', [field, `${caselessGlob(term)}*`]);
  }
}

export function caselessGlob(term: string): string {
  let pattern = '';
  for (const character of term) {
    const lower = character.toLowerCase();
    const upper = character.toUpperCase();
    if (lower !== upper && [...lower].length === 1 && [...upper].length === 1) pattern += `[${lower}${upper}]`;
    else if ('*?['.includes(character)) pattern += `[${character}]`;
    else pattern += character;
  }
  return pattern;
}

function toRow(row: Record<string, unknown>): CustomerListRow {
  const caretakerName = row.caretaker_first_name === null || row.caretaker_first_name === undefined ? null : nameFromColumns(row.caretaker_first_name, row.caretaker_last_name);
  return {
    id: Number(row.id),
    name: String(row.name),
    taxCountry: String(row.tax_country),
    taxId: (row.tax_id as string | null) ?? null,
    city: (row.city as string | null) ?? null,
    email: (row.email as string | null) ?? null,
    customerNumber: (row.customer_number as string | null) ?? null,
    caretakerName,
    isActive: Boolean(row.is_active),
    portalState: row.portal_state as PortalState,
    createdAt: String(row.created_at),
  };
}
