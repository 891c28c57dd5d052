import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { isAdministrator, signedInUser } from '../db/scope.js';
import { findLastAuditVerification, type AuditVerification } from './audit-verification.js';
import { listPendingChangeRequests, type ChangeRequest } from './change-request.js';
import { invitationsExpiredBefore } from './password-token.js';
import { listImports, type DataImport } from './data-import.js';
import { listLedgerEntries, type LedgerListRow } from './ledger-list.js';
import { tenantToday } from './ticket-list.js';
import { countMailIntake } from './mail-intake.js';
import { findOverdueCustomers, type OverdueCustomers } from './overdue-customers.js';
import { excerptMyTasks, excerptOverdueTasks, excerptQueue, type TicketExcerpt } from './ticket-excerpts.js';
import { visibleAccounts, visibleCustomers } from './visibility.js';
import { nameFromColumns } from './user.js';

/** A few rows of a list, with how many there are in all (the rest is one link away). */
export type Excerpt<Row> = { rows: Row[]; total: number };
export type CustomerLine = { id: number; name: string; city: string | null };
export type AccountLine = { id: number; name: string; login: string; customerName: string | null; invitedAt: string | null };

/**
 * What waits for a member of staff on their start page (issue 14), each through the base query
 * of what they see: a caretaker's customers, the change requests of those customers waiting for
 * a decision, and those customers no client account can sign in for; admins see the whole
 * tenant, and also the accounts locked and the invitations nobody used in time. Issue 15 adds the
 * user's open tasks and the overdue ones (ticket-excerpts.ts).
 */
export type StaffStartPage = {
  isAdministrator: boolean;
  customers: Excerpt<CustomerLine>;
  pendingRequests: Excerpt<ChangeRequest>;
  customersWithoutAccounts: Excerpt<CustomerLine>;
  lockedAccounts?: Excerpt<AccountLine>;
  expiredInvitations?: Excerpt<AccountLine>;
  /** The open tasks assigned to the user, soonest due first (T5). */
  myTasks: TicketExcerpt;
  /** Overdue tasks: the user's own, an admin's across every caretaker (T5). */
  overdueTasks: TicketExcerpt;
  /** The unassigned queue (T2) and how many e-mails from unknown senders wait in it (T9). */
  queue: TicketExcerpt;
  unknownSenders: number;
  /** Admins: payments and other entries waiting for approval (M1), the oldest first. */
  pendingEntries?: Excerpt<LedgerListRow>;
  /** The customers (a caretaker's own) with money overdue today, the most overdue first (M9), as summed a few minutes ago at most. */
  overdueCustomers: OverdueCustomers;
  /** Admins: the latest imports with their state (M7). */
  imports?: Excerpt<DataImport>;
  /** Superadmins: the last nightly verification of the audit chain (D3), null when it never ran. */
  auditVerification?: AuditVerification | null;
};

const total = (rows: Array<Record<string, unknown>>) => Number(rows[0]?.total ?? 0);

/**
 * The first active customers by name and how many there are, in two statements: `count(*) over ()`
 * beside the rows would read and sort every customer of the tenant (100,000 of them, issue 20),
 * where the page reads the first entries of (tenant_id, is_active, name) and the count that index alone.
 */
async function customerLines(query: () => Knex.QueryBuilder, limit: number): Promise<Excerpt<CustomerLine>> {
  const active = () => query().where('customers.is_active', true);
  const [rows, counted] = await Promise.all([
    active().orderBy([{ column: 'customers.name' }, { column: 'customers.id' }]).limit(limit).select('customers.id', 'customers.name', 'customers.city') as Promise<Array<Record<string, unknown>>>,
    active().count({ total: '*' }) as Promise<Array<Record<string, unknown>>>,
  ]);
  return { rows: rows.map((row) => ({ id: Number(row.id), name: String(row.name), city: (row.city as string | null) ?? null })), total: total(counted) };
}

function accountLines(query: Knex.QueryBuilder, scope: Scope, limit: number): Promise<Excerpt<AccountLine>> {
  return query
    .leftJoin('customers', function joinCustomer() {
      this.on('customers.tenant_id', '=', 'users.tenant_id').andOn('customers.id', '=', 'users.customer_id');
    })
    .orderBy([{ column: 'users.last_name' }, { column: 'users.first_name' }, { column: 'users.id' }])
    .limit(limit)
    .select('users.id', 'users.first_name', 'users.last_name', 'users.login', 'users.invited_at', 'customers.name as customer_name', scope.raw('count(*) over () as total'))
    .then((rows: Array<Record<string, unknown>>) => ({
      rows: rows.map((row) => ({
        id: Number(row.id),
        name: nameFromColumns(row.first_name, row.last_name) || String(row.login),
        login: String(row.login),
        customerName: (row.customer_name as string | null) ?? null,
        invitedAt: (row.invited_at as string | null) ?? null,
      })),
      total: total(rows),
    }));
}

/** Active customers that no active client account belongs to: nobody of theirs can sign in. */
function customersWithoutAccounts(scope: Scope): Knex.QueryBuilder {
  const withAccounts = visibleAccounts(scope).where({ 'users.role': 'client', 'users.is_active': true }).whereNotNull('users.customer_id').select('users.customer_id');
  return visibleCustomers(scope).whereNotIn('customers.id', withAccounts);
}

/** Active accounts that cannot sign in: locked by an admin. */
function lockedAccounts(scope: Scope): Knex.QueryBuilder {
  return visibleAccounts(scope).where({ 'users.is_active': true, 'users.is_locked': true });
}

/** Active accounts still without a password whose last invitation has expired unused. */
function expiredInvitations(scope: Scope): Knex.QueryBuilder {
  const expiredBefore = invitationsExpiredBefore(scope);
  return visibleAccounts(scope).where('users.is_active', true).whereNull('users.password_hash').whereNotNull('users.invited_at').where('users.invited_at', '<', expiredBefore);
}

/**
 * Everything the staff start page lists, read in parallel, one query per section (the customers'
 * sections two: their rows and their count).
 * @param limit how many rows each section shows
 * @param taskLimit how many rows each section of tasks shows
 */
export async function findStaffStartPage(scope: Scope, limit: number, taskLimit = limit): Promise<StaffStartPage> {
  const isAdmin = isAdministrator(signedInUser(scope));
  const today = await tenantToday(scope);
  const isSuperadmin = signedInUser(scope).role === 'superadmin';
  const [customers, pendingRequests, withoutAccounts, locked, expired, myTasks, overdueTasks, queue, unknownSenders, pendingEntries, overdueCustomers, imports, auditVerification] = await Promise.all([
    customerLines(() => visibleCustomers(scope), limit),
    listPendingChangeRequests(scope, limit),
    customerLines(() => customersWithoutAccounts(scope), limit),
    isAdmin ? accountLines(lockedAccounts(scope), scope, limit) : undefined,
    isAdmin ? accountLines(expiredInvitations(scope), scope, limit) : undefined,
    excerptMyTasks(scope, taskLimit),
    excerptOverdueTasks(scope, taskLimit),
    excerptQueue(scope, taskLimit),
    countMailIntake(scope, 'unmatched'),
    isAdmin ? listLedgerEntries(scope, { status: 'pending', kind: 'all' }, { page: 1, perPage: taskLimit, offset: 0 }) : undefined,
    findOverdueCustomers(scope, today, taskLimit),
    isAdmin ? listImports(scope, { page: 1, perPage: 3, offset: 0 }) : undefined,
    isSuperadmin ? findLastAuditVerification(scope) : undefined,
  ]);
  return {
    isAdministrator: isAdmin,
    customers,
    pendingRequests: { rows: pendingRequests.requests, total: pendingRequests.total },
    customersWithoutAccounts: withoutAccounts,
    ...(isAdmin ? { lockedAccounts: locked, expiredInvitations: expired } : {}),
    myTasks,
    overdueTasks,
    queue,
    unknownSenders,
    ...(pendingEntries ? { pendingEntries: { rows: pendingEntries.rows, total: pendingEntries.pagination.total } } : {}),
    overdueCustomers,
    ...(imports ? { imports: { rows: imports.imports, total: imports.total } } : {}),
    ...(isSuperadmin ? { auditVerification: auditVerification ?? null } : {}),
  };
}
