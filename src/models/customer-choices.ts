import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { whereSearched } from './customer-list.js';
import { visibleCustomers } from './visibility.js';

/** A customer as a form offers it: the name, with what tells two of the same name apart. */
export type CustomerChoice = { id: number; name: string; customerNumber: string | null; taxId: string | null; city: string | null };

/** Up to this many customers, a form lists them all in a select; past it, it finds them by a search. */
export const listedCustomersAtMost = 200;
/** A search shows this many matches at most ("more match: type more of the name"). */
export const customerMatchesAtMost = 20;

/**
 * How a form lets the actor choose one of the customers they see: every one of them in a list while
 * they are few, or (a provider with 100,000 customers) the one already chosen, or the matches of a
 * search by the start of the name, number, tax id, town or e-mail (as the customer list's search).
 */
export type CustomerPicker =
  | { kind: 'list'; customers: CustomerChoice[] }
  | { kind: 'search'; search: string; chosen: CustomerChoice | null; matches: CustomerChoice[]; isCapped: boolean };

const columns = ['customers.id', 'customers.name', 'customers.customer_number', 'customers.tax_id', 'customers.city'];

function toChoice(row: Record<string, unknown>): CustomerChoice {
  const text = (value: unknown) => (value === null || value === undefined || value === '' ? null : String(value));
  return { id: Number(row.id), name: String(row.name), customerNumber: text(row.customer_number), taxId: text(row.tax_id), city: text(row.city) };
}

/**
 * The picker of a form: `isActiveOnly` for forms that enter something for the customer (an inactive
 * one is not offered); `chosenId` is the customer the request names (one the actor does not see, or
 * an inactive one where only active ones are offered, is not chosen); `search` the words typed. One
 * statement while the customers are few (the list), up to three past it. `narrowedBy` offers fewer
 * (those with portal accounts, say).
 */
export async function customerPicker(
  scope: Scope,
  options: { isActiveOnly: boolean; chosenId?: number | undefined; search?: string | undefined; narrowedBy?: (customers: Knex.QueryBuilder) => void },
): Promise<CustomerPicker> {
  const offered = () => {
    const query = visibleCustomers(scope);
    if (options.isActiveOnly) query.where('customers.is_active', true);
    options.narrowedBy?.(query);
    return query;
  };
  const listed: Array<Record<string, unknown>> = await offered().orderBy('customers.name').orderBy('customers.id').limit(listedCustomersAtMost + 1).select(columns);
  if (listed.length <= listedCustomersAtMost) return { kind: 'list', customers: listed.map(toChoice) };
  const search = (options.search ?? '').trim().slice(0, 100);
  const [chosen, matches] = await Promise.all([
    options.chosenId === undefined ? undefined : (offered().where('customers.id', options.chosenId).first(columns) as Promise<Record<string, unknown> | undefined>),
    search === ''
      ? []
      : (offered()
          .modify((searched) => whereSearched(scope, searched, search))
          // concat(): offered the name itself, MariaDB walks the name index testing every name (customer-list.ts, orderOf).
          .orderByRaw(scope.isMysql ? 'concat(customers.name), customers.id' : 'customers.name, customers.id')
          .limit(customerMatchesAtMost + 1)
          .select(columns) as Promise<Array<Record<string, unknown>>>),
  ]);
  return {
    kind: 'search',
    search,
    chosen: chosen ? toChoice(chosen) : null,
    matches: matches.slice(0, customerMatchesAtMost).map(toChoice),
    isCapped: matches.length > customerMatchesAtMost,
  };
}

/**
 * The one customer a reference names exactly, among those offered: its customer number (in any
 * letter case), or its tax id (stored as digits: 526-025-09-95 and PL 5260250995 name it too);
 * 'none', or 'several' (a number one customer has and another's tax id, say). For a form that
 * takes a customer by what staff read off a document.
 */
export async function customerOfReference(
  scope: Scope,
  reference: string,
  options: { isActiveOnly: boolean; narrowedBy?: (customers: Knex.QueryBuilder) => void },
): Promise<CustomerChoice | 'none' | 'several'> {
  const text = reference.trim();
  // A tax id as invoices print it: PL 526-025-09-95.
  const digits = text.replace(/^PL/i, '').replace(/[\s-]/g, '');
  const query = visibleCustomers(scope).where((named) => {
    // MySQL's columns compare without letter case; SQLite's as told (k-7 names K-7 on both).
    if (scope.isMysql) named.where('customers.customer_number', text);
    else named.whereRaw('customers.customer_number = ? collate nocase', [text]);
    if (/^\d+$/.test(digits)) named.orWhere('customers.tax_id', digits);
  });
  if (options.isActiveOnly) query.where('customers.is_active', true);
  options.narrowedBy?.(query);
  const rows: Array<Record<string, unknown>> = await query.limit(2).select(columns);
  if (rows.length === 0) return 'none';
  return rows.length > 1 ? 'several' : toChoice(rows[0]!);
}
