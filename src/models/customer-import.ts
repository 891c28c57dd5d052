import { staffRoles } from '../db/scope.js';
import { parseCustomerRow, type CustomerImportRow } from '../lib/import-rows.js';
import { toDatabaseTime } from '../lib/time.js';
import { customerDetailColumns } from './customer.js';
import { insertRows, type ImportHandler, type Verdict } from './import-handler.js';
import { visibleAccounts, visibleCustomers } from './visibility.js';

/**
 * Customers from the accounting system (M7), keyed by the customer number. A new number creates a
 * customer (no portal account: accounts are made by staff); a known one is updated in the fields
 * whose values differ, and only in the columns the file has. A tax id another customer has is taken
 * as it is: the accounting system knows its branches. An empty caretaker cell leaves the caretaker.
 */
type Context = { caretakers: Map<string, number> };
type Plan = { id: number | null; columns: Record<string, unknown> };

/** The customer form's columns of the fields a file may carry (name and number are written apart). */
const fieldColumns: Record<keyof CustomerImportRow['fields'], string> = customerDetailColumns;

/** The columns a row sets, by the customer-form field names the "changed" examples show. */
function columnsOf(row: CustomerImportRow, caretakerId: number | undefined): Record<string, unknown> {
  const columns: Record<string, unknown> = { name: row.name, customer_number: row.customerNumber };
  for (const [field, value] of Object.entries(row.fields)) columns[fieldColumns[field as keyof typeof fieldColumns]] = value;
  if (caretakerId !== undefined) columns.caretaker_id = caretakerId;
  return columns;
}

export const customerImport: ImportHandler<CustomerImportRow, Plan, Context> = {
  async prepare(scope) {
    const staff: Array<{ id: number; email: string | null }> = await visibleAccounts(scope).whereIn('users.role', staffRoles).where('users.is_active', true).whereNotNull('users.email').select('users.id', 'users.email');
    return { caretakers: new Map(staff.map((user) => [String(user.email).toLowerCase(), Number(user.id)])) };
  },

  parse: (values) => parseCustomerRow(values),
  keyOf: (row) => row.customerNumber,

  async judge(scope, rows, context) {
    const stored: Array<Record<string, unknown>> = await visibleCustomers(scope).whereIn('customers.customer_number', rows.map((entry) => entry.key)).select('customers.*');
    const byNumber = new Map(stored.map((row) => [String(row.customer_number).toUpperCase(), row]));
    return rows.map(({ line, key, row }): Verdict<Plan> => {
      const caretakerId = row.caretakerEmail === null ? undefined : context.caretakers.get(row.caretakerEmail);
      if (row.caretakerEmail !== null && caretakerId === undefined) return { line, key, outcome: 'refuse', problems: [{ key: 'imports:row.caretakerUnknown', values: { value: row.caretakerEmail } }] };
      const columns = columnsOf(row, caretakerId);
      const existing = byNumber.get(key);
      if (!existing) return { line, key, outcome: 'create', plan: { id: null, columns } };
      const changed = Object.entries(columns).filter(([column, value]) => (existing[column] ?? null) !== (value ?? null) && !(column === 'caretaker_id' && Number(existing[column]) === value));
      if (changed.length === 0) return { line, key, outcome: 'unchanged', plan: { id: Number(existing.id), columns: {} } };
      return { line, key, outcome: 'change', plan: { id: Number(existing.id), columns: Object.fromEntries(changed) }, changedFields: changed.map(([column]) => column) };
    });
  },

  async write(trx, verdicts) {
    const now = toDatabaseTime(trx.now());
    const created = verdicts.filter((verdict) => verdict.outcome === 'create');
    if (created.length > 0) {
      const defaults = { tax_country: 'PL', country: 'PL', is_active: true, created_at: now, updated_at: now };
      await insertRows(trx, 'customers', created.map((verdict) => ({ ...defaults, ...(verdict as { plan: Plan }).plan.columns })));
    }
    for (const verdict of verdicts) {
      if (verdict.outcome !== 'change') continue;
      await visibleCustomers(trx).where('customers.id', verdict.plan.id).update({ ...verdict.plan.columns, version: trx.raw('version + 1'), updated_at: now });
    }
  },

  async finish() {},
};
