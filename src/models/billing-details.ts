import type { Scope } from '../db/scope.js';
import { isAdministrator } from '../db/scope.js';
import { virtualBankAccount } from '../lib/bank-account.js';
import { ForbiddenError, ValidationError } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { noteConfigurationChanged } from './tenant-configuration.js';
import { logEvent } from './audit.js';
import { findScopeTenantRow } from './scope-tenant.js';

/**
 * The tenant's billing details (D7): who the customers pay, as payment orders and arrears
 * statements print it, and the rules of the ledger that belong to the tenant as a whole. Columns
 * of `tenants`, not layered settings: a tenant has one legal name and one account, saved together.
 */
export type BillingDetails = {
  legalName: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  taxCountry: string;
  /** As stored: a NIP's ten digits, another country's number in capitals without separators. */
  taxId: string | null;
  /** Normalised: an NRB's 26 digits, another IBAN whole. */
  bankAccount: string | null;
  currency: string;
  /** Days from an invoice's issue to its due date when it is entered without one. */
  paymentTermDays: number;
  hasVirtualAccounts: boolean;
  virtualAccountPrefix: string | null;
};

export type BillingField = keyof BillingDetails;

const columns: Record<BillingField, string> = {
  legalName: 'legal_name',
  street: 'legal_street',
  postalCode: 'legal_postal_code',
  city: 'legal_city',
  taxCountry: 'tax_country',
  taxId: 'tax_id',
  bankAccount: 'bank_account',
  currency: 'currency',
  paymentTermDays: 'payment_term_days',
  hasVirtualAccounts: 'has_virtual_accounts',
  virtualAccountPrefix: 'virtual_account_prefix',
};
export const billingFields = Object.keys(columns) as BillingField[];

const text = (value: unknown): string | null => (value === null || value === undefined || String(value).trim() === '' ? null : String(value));

function toBillingDetails(row: Record<string, unknown>): BillingDetails {
  return {
    legalName: text(row.legal_name),
    street: text(row.legal_street),
    postalCode: text(row.legal_postal_code),
    city: text(row.legal_city),
    taxCountry: String(row.tax_country ?? 'PL'),
    taxId: text(row.tax_id),
    bankAccount: text(row.bank_account),
    currency: String(row.currency),
    paymentTermDays: Number(row.payment_term_days),
    hasVirtualAccounts: Boolean(row.has_virtual_accounts),
    virtualAccountPrefix: text(row.virtual_account_prefix),
  };
}

/**
 * The scope's tenant's billing details as stored now: from the request's one read of the tenant's row
 * (findScopeTenantRow), not the tenant the middleware caches, which would lag behind a save.
 */
export async function findBillingDetails(scope: Scope): Promise<BillingDetails> {
  return toBillingDetails(await findScopeTenantRow(scope));
}

/**
 * Whether the currency is settled for good: amounts are kept in it (ledger entries, ticket cost
 * lines, whose VAT rates are the currency's), so it may change only while there are none.
 */
export async function isCurrencyLocked(scope: Scope): Promise<boolean> {
  const [entry, costLine] = await Promise.all([scope.table('ledger_entries').first('id'), scope.table('ticket_cost_lines').first('id')]);
  return Boolean(entry || costLine);
}

/** The legal address on one line, as a transfer form prints it: "ul. Polna 1, 00-950 Warszawa". */
export function addressLineOf(details: Pick<BillingDetails, 'street' | 'postalCode' | 'city'>): string | null {
  const line = [details.street, [details.postalCode, details.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return line === '' ? null : line;
}

/**
 * The account a customer pays into: its own virtual account (an NRB from the tenant's bank prefix
 * and its customer number, item 2 of issue 16) where the tenant has them on and the customer has a
 * number of digits that fits, else the tenant's account.
 */
export function accountOfCustomer(details: Pick<BillingDetails, 'bankAccount' | 'hasVirtualAccounts' | 'virtualAccountPrefix' | 'currency'>, customerNumber: string | null): { account: string | null; isVirtual: boolean } {
  if (details.hasVirtualAccounts && details.virtualAccountPrefix && details.currency === 'PLN' && customerNumber) {
    try {
      return { account: virtualBankAccount(details.virtualAccountPrefix, customerNumber.replace(/\s/g, '')), isVirtual: true };
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }
  return { account: details.bankAccount, isVirtual: false };
}

/**
 * Saves the billing details (admins). Only the fields that differ from what is stored are
 * written, with an audit entry naming them (not their values); saving the same values again
 * changes nothing. `fields` limits the save to the fields the admin changed on the form, so two
 * admins saving different fields at once both keep their change.
 * @throws ForbiddenError for anyone but an admin or superadmin
 * @throws ValidationError ('currency') when the currency would change while amounts are kept in it
 * @returns the fields that changed
 */
export async function updateBillingDetails(scope: Scope, details: BillingDetails, fields: readonly BillingField[] = billingFields): Promise<BillingField[]> {
  if (!isAdministrator(scope.actor)) throw new ForbiddenError('only admins change the billing details');
  return scope.transaction(async (trx) => {
    // The tenant row is taken for update first: a ledger entry entered meanwhile reads the currency
    // under a shared lock of that row (models/ledger.ts), so it waits and sees the new one.
    if (trx.isMysql) await trx.tenantRow().forUpdate().first('id');
    const before = await findBillingDetails(trx);
    const changed = fields.filter((field) => before[field] !== details[field]);
    if (changed.length === 0) return changed;
    if (changed.includes('currency') && (await isCurrencyLocked(trx))) throw new ValidationError({ currency: 'billingDetails:errors.currencyLocked' });
    const update: Record<string, unknown> = { updated_at: toDatabaseTime(trx.now()) };
    for (const field of changed) update[columns[field]] = details[field];
    await trx.tenantRow().update(update);
    await noteConfigurationChanged(trx);
    await logEvent(trx, { action: 'tenant.billing_details_changed', subjectType: 'tenant', subjectId: trx.tenantId, details: { fields: changed } });
    return changed;
  });
}
