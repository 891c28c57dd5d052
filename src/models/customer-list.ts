import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';

import { paginate, type Page, type Pagination } from '../lib/pagination.js';
import { visibleCustomers } from './visibility.js';
import { settingsInForce } from './settings.js';

export const customerSorts = ['name-asc', 'name-desc', 'city-asc', 'city-desc', 'created-desc', 'created-asc'] as const;
export type CustomerSort = (typeof customerSorts)[number];

export type CustomerListQuery = {
  /** Part of the name, tax id, e-mail or city, in any letter case. */
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
  caretakerName: string | null;
  isActive: boolean;
  portalState: PortalState;
  createdAt: string;
};

/** Whitelisted sort columns: the request names a sort, never a column. */
const sortColumns: Record<string, string> = { name: 'customers.name', city: 'customers.city', created: 'customers.created_at' };


/**
 * One page of the customers the actor may see (a caretaker: their own; admins: all), filtered,
 * searched and sorted in the database. A page past the last one gives the last page.
 */
export async function listCustomers(scope: Scope, query: CustomerListQuery, page: Page): Promise<{ rows: CustomerListRow[]; pagination: Pagination }> {
  const tenantPortal = (await settingsInForce(scope))['portal.access'].value;
  const countRow = await filtered(scope, query, tenantPortal).count({ count: 'customers.id' }).first();
  const total = Number(countRow?.count ?? 0);
  const lastPage = Math.max(1, Math.ceil(total / page.perPage));
  const pagination = paginate(page.page > lastPage ? { ...page, page: lastPage, offset: (lastPage - 1) * page.perPage } : page, total);
  const [field, direction] = query.sort.split('-') as [string, 'asc' | 'desc'];
  const column = sortColumns[field] ?? sortColumns.name!;
  const portalState = portalStateSql(tenantPortal);
  const rows: Array<Record<string, unknown>> = await filtered(scope, query, tenantPortal)
    .select(
      'customers.*',
      'caretakers.first_name as caretaker_first_name',
      'caretakers.last_name as caretaker_last_name',
      scope.raw(`${portalState.sql} as portal_state`, portalState.bindings),
    )
    .orderByRaw(scope.isMysql || field === 'created' ? `?? ${direction}` : `?? collate nocase ${direction}`, [column])
    .orderBy('customers.id', direction)
    .limit(pagination.perPage)
    .offset(pagination.offset);
  return { rows: rows.map(toRow), pagination };
}

/** Whether a customer's people may use the portal: all of them, none, or some (their groups differ). */
export type PortalState = 'on' | 'off' | 'mixed';

/**
 * The portal access in force for a customer's people, in SQL (D5: customer → the account's group
 * → tenant → default). The customer's own value decides for everyone. Without one, each active
 * client account takes its group's value or the tenant's: 'on' when every account may sign in,
 * 'off' when none may, 'mixed' otherwise; a customer without accounts shows what a new account (in
 * CLIENTS) would get.
 */
function portalStateSql(tenantPortal: string): { sql: string; bindings: Array<string | number> } {
  const groupValue = `coalesce((select group_settings.value from settings group_settings
      where group_settings.tenant_id = accounts.tenant_id and group_settings.level = 'group' and group_settings.target_id = accounts.group_id and group_settings.name = 'portal.access'), ?)`;
  const accountsWhere = (condition: string) => `exists (select 1 from users accounts
      where accounts.tenant_id = customers.tenant_id and accounts.customer_id = customers.id and accounts.role = 'client' and accounts.is_active = ?${condition})`;
  const newAccountValue = `coalesce((select default_settings.value from settings default_settings
      join ${'`'}groups${'`'} default_group on default_group.tenant_id = default_settings.tenant_id and default_group.id = default_settings.target_id and default_group.is_default = ?
      where default_settings.tenant_id = customers.tenant_id and default_settings.level = 'group' and default_settings.name = 'portal.access'), ?)`;
  return {
    sql: `(case when portal_settings.value is not null then portal_settings.value
      when not ${accountsWhere('')} then ${newAccountValue}
      when not ${accountsWhere(` and ${groupValue} = 'off'`)} then 'on'
      when not ${accountsWhere(` and ${groupValue} = 'on'`)} then 'off'
      else 'mixed' end)`,
    bindings: [1, 1, tenantPortal, 1, tenantPortal, 1, tenantPortal],
  };
}

function filtered(scope: Scope, query: CustomerListQuery, tenantPortal: string): Knex.QueryBuilder {
  const builder = visibleCustomers(scope)
    .leftJoin('users as caretakers', function joinCaretaker() {
      this.on('caretakers.tenant_id', '=', 'customers.tenant_id').andOn('caretakers.id', '=', 'customers.caretaker_id');
    })
    .leftJoin('settings as portal_settings', function joinPortalSetting() {
      this.on('portal_settings.tenant_id', '=', 'customers.tenant_id')
        .andOn('portal_settings.target_id', '=', 'customers.id')
        .andOnVal('portal_settings.level', '=', 'customer')
        .andOnVal('portal_settings.name', '=', 'portal.access');
    });
  if (query.status !== 'all') builder.where('customers.is_active', query.status === 'active');
  if (query.caretaker === 'none') builder.whereNull('customers.caretaker_id');
  else if (typeof query.caretaker === 'number') builder.where('customers.caretaker_id', query.caretaker);
  if (query.portal !== 'all') {
    const portalState = portalStateSql(tenantPortal);
    builder.whereRaw(`${portalState.sql} = ?`, [...portalState.bindings, query.portal]);
  }
  if (query.search) whereContains(scope, builder, query.search);
  return builder;
}

/** The search: any of name, tax id, e-mail and city contains the term, in any letter case. */
function whereContains(scope: Scope, builder: Knex.QueryBuilder, term: string): void {
  const fields = ['customers.name', 'customers.tax_id', 'customers.email', 'customers.city'];
  // A tax id is stored as digits only, so 526-025-09-95 must find it too.
  const digits = /^[\d\s-]+$/.test(term) ? term.replace(/[\s-]/g, '') : '';
  builder.where((any) => {
    for (const field of fields) matchIgnoringCase(scope, any, field, term);
    if (digits && digits !== term) matchIgnoringCase(scope, any, 'customers.tax_id', digits);
  });
}

/**
 * MySQL compares lower() of both sides with LIKE. SQLite's LIKE and lower() fold ASCII letters
 * only (ł would not find Ł), so there each letter becomes a GLOB class of both its cases: [łŁ].
 */
function matchIgnoringCase(scope: Scope, builder: Knex.QueryBuilder, field: string, term: string): void {
  if (scope.isMysql) {
    builder.orWhereRaw('lower(??) like ?', [field, `%${term.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`]);
  } else {
    builder.orWhereRaw('?? glob ?', [field, `*${caselessGlob(term)}*`]);
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
  const caretakerName = row.caretaker_first_name === null || row.caretaker_first_name === undefined ? null : `${String(row.caretaker_first_name)} ${String(row.caretaker_last_name)}`.trim();
  return {
    id: Number(row.id),
    name: String(row.name),
    taxCountry: String(row.tax_country),
    taxId: (row.tax_id as string | null) ?? null,
    city: (row.city as string | null) ?? null,
    email: (row.email as string | null) ?? null,
    caretakerName,
    isActive: Boolean(row.is_active),
    portalState: row.portal_state as PortalState,
    createdAt: String(row.created_at),
  };
}
