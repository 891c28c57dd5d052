import type { Scope } from '../db/scope.js';
import type { Customer } from './customer.js';
import { findCustomer } from './customer.js';
import { duesOf, type CustomerDues } from './customer-balance.js';
import { findProviderDetails } from './provider-details.js';

/**
 * Who a payment order pays and what the arrears statement is headed with: the tenant's money
 * settings (D7) where it has them, else its name and office address. The money settings are
 * columns of `tenants` added by the payments part of issue 16; they are read only when present, so
 * this works before and after that migration (see docs/decisions.md, "Payment orders and arrears
 * statements").
 */
export type PaymentRecipient = { name: string; address: string | null; taxId: string | null; bankAccount: string | null };

const text = (value: unknown): string | null => (value === null || value === undefined || String(value).trim() === '' ? null : String(value).trim());

export async function findPaymentRecipient(scope: Scope): Promise<PaymentRecipient> {
  const [provider, row] = await Promise.all([findProviderDetails(scope), scope.tenantRow().first()]);
  const tenant = (row ?? {}) as Record<string, unknown>;
  return {
    name: text(tenant.legal_name) ?? provider.name,
    address: text(tenant.legal_address) ?? text(tenant.address) ?? provider.office.address,
    taxId: text(tenant.tax_id),
    bankAccount: text(tenant.bank_account),
  };
}

/** What a payment order or arrears statement of a customer is made of. */
export type PaymentDocumentData = { recipient: PaymentRecipient; customer: Customer; dues: CustomerDues };

/**
 * The recipient, the customer and its dues on `today` (the tenant's calendar day).
 * @throws NotFoundError for a customer out of the actor's reach
 */
export async function findPaymentDocumentData(scope: Scope, customerId: number, today: string): Promise<PaymentDocumentData> {
  const customer = await findCustomer(scope, customerId);
  const [recipient, dues] = await Promise.all([findPaymentRecipient(scope), duesOf(scope, customerId, today)]);
  return { recipient, customer, dues };
}
