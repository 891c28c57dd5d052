import type { SystemWork } from '../db/installation.js';
import { retryingDeadlocks, type Scope } from '../db/scope.js';
import { daysBefore } from '../lib/aging.js';
import { formatAmount, moneyOf } from '../lib/money.js';
import { calendarDateIn, formatCalendarDate, toDatabaseTime } from '../lib/time.js';
import type { Links } from '../lib/urls.js';
import { logEvent } from './audit.js';
import { listOpenInvoices, type OpenInvoice } from './customer-balance.js';
import { enqueueMail } from './outbox.js';
import { settingsForMany, settingsInForce } from './settings.js';
import { agingTotals } from './receivables.js';
import { findScopeTenant, type Tenant } from './tenant.js';
import { greetingNameOf } from './user.js';
import { visibleAccounts, visibleCustomers } from './visibility.js';

/**
 * Reminders of overdue payments (M9): where the tenant has them on (`reminders.enabled`), each
 * active customer with an invoice at least `reminders.min_days_overdue` days past its due date is
 * e-mailed the list of its overdue invoices and their total, at most once in
 * `reminders.interval_days`. The message goes to the customer's primary contacts (active, unlocked,
 * with an address, whose own `notifications.reminders` is on), each in their language; a customer
 * without any primary contact gets it at the e-mail of its record, in the tenant's language. A
 * customer whose primary contacts all switched reminders off gets none.
 *
 * Once per interval however often and wherever it runs: the customer's `payment_reminders` row is
 * moved to now by a conditional update (last sent before the interval began) in the transaction that
 * queues the messages, so of two runs at once one moves it and sends, and the other changes no row
 * and sends nothing; a run that fails sends nothing and moves nothing.
 */
export type ReminderRun = { customers: number; messages: number };

const batchSize = 500;
/** The last reminder of a customer never reminded: long before any interval. */
const neverSent = '1970-01-01 00:00:00';

/** The tenants whose reminders are on for all their customers or for some (a tenant or customer setting row), for the daily job. */
export async function tenantsWithReminders(system: SystemWork): Promise<number[]> {
  const rows: Array<{ tenant_id: number }> = await system
    .acrossTenants('settings')
    .join('tenants', 'tenants.id', 'settings.tenant_id')
    .whereIn('settings.level', ['tenant', 'customer'])
    .where({ 'settings.name': 'reminders.enabled', 'settings.value': 'on', 'tenants.is_active': true })
    .distinct('settings.tenant_id');
  return rows.map((row) => Number(row.tenant_id));
}

/**
 * Whom the tenant reminds (D5): every customer when its setting is on, but those exempted on their
 * own record; when it is off, only the customers switched on on theirs. One read of the customer rows.
 */
async function remindedCustomers(scope: Scope, tenantValue: 'on' | 'off'): Promise<{ isEveryone: boolean; exceptions: Set<number> }> {
  const exception = tenantValue === 'on' ? 'off' : 'on';
  const ids: unknown[] = await scope.table('settings').where({ level: 'customer', name: 'reminders.enabled', value: exception }).pluck('target_id');
  return { isEveryone: tenantValue === 'on', exceptions: new Set(ids.map(Number)) };
}

/** Sends the tenant's reminders that are due now; records the run with its counts in the audit log. */
export async function sendPaymentReminders(scope: Scope, links?: Links): Promise<ReminderRun> {
  const settings = await settingsInForce(scope);
  const reminded = await remindedCustomers(scope, settings['reminders.enabled'].value === 'on' ? 'on' : 'off');
  if (!reminded.isEveryone && reminded.exceptions.size === 0) return { customers: 0, messages: 0 };
  const isReminded = (customerId: number) => reminded.isEveryone !== reminded.exceptions.has(customerId);
  const tenant = await findScopeTenant(scope);
  const now = scope.now();
  const today = calendarDateIn(now, tenant.timeZone);
  const dueBy = daysBefore(today, Number(settings['reminders.min_days_overdue'].value));
  // Half a day of grace: a run claimed a little earlier in the day than the last one still counts the
  // interval as passed, so 7 days stay 7 and do not slip to 8.
  const remindedSince = toDatabaseTime(new Date(now.getTime() - Number(settings['reminders.interval_days'].value) * 86_400_000 + 12 * 3_600_000));
  const run: ReminderRun = { customers: 0, messages: 0 };
  let afterId = 0;
  for (;;) {
    const customers: Array<Record<string, unknown>> = await candidates(scope, today, dueBy, remindedSince).where('customers.id', '>', afterId).orderBy('customers.id').limit(batchSize).select('customers.id', 'customers.name', 'customers.email');
    for (const customer of customers) {
      if (!isReminded(Number(customer.id))) continue;
      const overdue = (await listOpenInvoices(scope, Number(customer.id), today)).filter((invoice) => invoice.dueDate <= dueBy);
      if (overdue.length === 0) continue;
      const sent = await remind(scope, { tenant, customer, overdue, remindedSince, links });
      if (sent > 0) run.customers += 1;
      run.messages += sent;
    }
    if (customers.length < batchSize) break;
    afterId = Number(customers.at(-1)!.id);
  }
  await logEvent(scope, { action: 'payment_reminders.sent', details: { customers: run.customers, messages: run.messages } });
  return run;
}

/**
 * Active customers that owe something overdue today (one aggregate, as the aging report reads it),
 * with an approved invoice due by `dueBy` and no reminder since `remindedSince`; which invoices are
 * still open is read per candidate, so customers who paid are never read one by one.
 */
function candidates(scope: Scope, today: string, dueBy: string, remindedSince: string) {
  const overdueInvoice = scope
    .table('ledger_entries')
    .whereRaw('ledger_entries.customer_id = customers.id')
    .where({ 'ledger_entries.kind': 'invoice', 'ledger_entries.status': 'approved' })
    .where('ledger_entries.due_date', '<=', dueBy)
    .select('ledger_entries.id');
  const recentReminder = scope.table('payment_reminders').whereRaw('payment_reminders.customer_id = customers.id').where('payment_reminders.last_sent_at', '>', remindedSince).select('payment_reminders.id');
  return visibleCustomers(scope)
    .join(agingTotals(scope, today).as('aging'), 'aging.customer_id', 'customers.id')
    .where('aging.overdue', '>', 0)
    .where('customers.is_active', true)
    .whereExists(overdueInvoice)
    .whereNotExists(recentReminder);
}

type Recipient = { to: string; userId: number | null; locale: string; greetingName: string };

/** The primary contacts who want reminders, or the customer's own address when it has no primary contact. */
async function recipientsOf(scope: Scope, tenant: Tenant, customer: Record<string, unknown>): Promise<Recipient[]> {
  const rows: Array<Record<string, unknown>> = await visibleAccounts(scope)
    .where({ 'users.customer_id': Number(customer.id), 'users.role': 'client', 'users.is_primary_contact': true, 'users.is_active': true, 'users.is_locked': false })
    .whereNotNull('users.email')
    .whereNot('users.email', '')
    .select('users.id', 'users.email', 'users.locale', 'users.first_name', 'users.last_name');
  if (rows.length === 0) {
    const email = typeof customer.email === 'string' ? customer.email.trim() : '';
    return email ? [{ to: email, userId: null, locale: tenant.defaultLocale, greetingName: '' }] : [];
  }
  const switches = await settingsForMany(scope, rows.map((row) => ({ accountId: Number(row.id) })));
  return rows
    .filter((_row, index) => switches[index]!['notifications.reminders'].value !== 'off')
    .map((row) => ({ to: String(row.email), userId: Number(row.id), locale: (row.locale as string | null) ?? tenant.defaultLocale, greetingName: greetingNameOf({ firstName: String(row.first_name ?? ''), lastName: String(row.last_name ?? '') }) }));
}

/** Claims the customer's reminder for this interval and queues its messages, in one transaction. @returns how many messages were queued */
async function remind(scope: Scope, reminder: { tenant: Tenant; customer: Record<string, unknown>; overdue: OpenInvoice[]; remindedSince: string; links: Links | undefined }): Promise<number> {
  const { tenant, customer, overdue } = reminder;
  const recipients = await recipientsOf(scope, tenant, customer);
  if (recipients.length === 0) return 0;
  const customerId = Number(customer.id);
  // The customer's row exists before the transaction that claims it: two runs inserting it inside
  // their transactions both took the key's shared lock and then both waited for the other's update
  // (MySQL chose one as a deadlock's victim).
  await retryingDeadlocks(() => scope.insertQuery('payment_reminders', { customer_id: customerId, last_sent_at: neverSent, sent_count: 0 }).onConflict(['tenant_id', 'customer_id']).ignore());
  return scope.transaction(async (trx) => {
    const stamp = toDatabaseTime(trx.now());
    const claimed = await trx
      .table('payment_reminders')
      .where('payment_reminders.customer_id', customerId)
      .where('payment_reminders.last_sent_at', '<=', reminder.remindedSince)
      .update({ last_sent_at: stamp, sent_count: trx.raw('sent_count + 1') });
    if (Number(claimed) !== 1) return 0;
    const total = moneyOf(overdue.reduce((sum, invoice) => sum + invoice.outstanding.minor, 0n), tenant.currency);
    for (const recipient of recipients) {
      const invoices = overdue.map((invoice) => `${invoice.documentNumber ?? `#${invoice.id}`} · ${formatCalendarDate(invoice.dueDate, recipient.locale)} · ${formatAmount(invoice.outstanding, recipient.locale)}`).join('\n');
      const data: Record<string, string> = { tenant: tenant.name, customer: String(customer.name), invoices, total: formatAmount(total, recipient.locale), link: reminder.links ? reminder.links.absolute('portal.settlements.index', { tenant: tenant.slug }) : '', greetingName: recipient.greetingName };
      await enqueueMail(trx, { to: recipient.to, recipientUserId: recipient.userId, customerId, locale: recipient.locale, template: 'payment-reminder', data });
    }
    return recipients.length;
  });
}
