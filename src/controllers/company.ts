import type { Request, Response } from 'express';
import { currentUserOf, scopeOf } from '../middleware/context.js';
import { renderPage } from '../lib/render.js';
import { NotFoundError } from '../lib/errors.js';
import { fromDatabaseTime } from '../lib/time.js';
import { listCustomerChangeRequests, type ChangeableField, type ChangeRequest, type ChangeRequestStatus } from '../models/change-request.js';
import { findCustomer, type Customer } from '../models/customer.js';
import { formatBankAccount, formatTaxId } from '../validators/change-request.js';

/** Labels of the changeable fields and of the statuses, as the pages of both sides show them. */
export const fieldLabels: Record<ChangeableField, string> = {
  street: 'changes:fields.street',
  postalCode: 'changes:fields.postalCode',
  city: 'changes:fields.city',
  country: 'changes:fields.country',
  taxId: 'changes:fields.taxId',
  bankAccount: 'changes:fields.bankAccount',
};

export const statusLabels: Record<ChangeRequestStatus, string> = {
  pending: 'changes:status.pending',
  approved: 'changes:status.approved',
  rejected: 'changes:status.rejected',
};

/** A stored value as people read it (the NIP and the account in their groups); null stays null. */
export function shownValue(field: ChangeableField, value: string | null | undefined, customer: Pick<Customer, 'taxCountry'>): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (field === 'taxId') return formatTaxId(value, customer.taxCountry);
  if (field === 'bankAccount') return formatBankAccount(value);
  return value;
}

/** A request's changed fields, each with its value before and the one asked for, ready to show. */
export function changedRows(request: ChangeRequest, customer: Pick<Customer, 'taxCountry'>) {
  return (Object.keys(request.changes) as ChangeableField[]).map((field) => ({
    field,
    label: fieldLabels[field],
    previous: shownValue(field, request.previous[field], customer),
    requested: shownValue(field, request.changes[field], customer),
  }));
}

/** The client's own customer: a client is never shown another one, whatever the address says. */
export async function clientCustomer(req: Request): Promise<Customer> {
  const customerId = currentUserOf(req).customerId;
  if (!customerId) throw new NotFoundError('this client account has no customer');
  return findCustomer(scopeOf(req), customerId);
}

/** GET /:tenant/portal/company: the customer's data, the changes waiting for staff and the decided ones (A13). */
export async function show(req: Request, res: Response): Promise<void> {
  const customer = await clientCustomer(req);
  const requests = (await listCustomerChangeRequests(scopeOf(req), customer.id)).map((request) => ({ ...request, rows: changedRows(request, customer) }));
  renderPage(res, 'portal/company/show', {
    title: res.locals.t('changes:company.title'),
    customer,
    details: (['taxId', 'street', 'postalCode', 'city', 'country', 'bankAccount'] as const).map((field) => ({ label: fieldLabels[field], value: shownValue(field, customer[field], customer) })),
    pending: requests.filter((request) => request.status === 'pending'),
    decided: requests.filter((request) => request.status !== 'pending'),
    statusLabels,
    fromDatabaseTime,
  });
}
