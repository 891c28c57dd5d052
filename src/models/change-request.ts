import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { lockRow, signedInUser } from '../db/scope.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.js';
import type { Page } from '../lib/pagination.js';
import { toDatabaseTime } from '../lib/time.js';
import { can, type CustomerSubject } from '../policies/customer.js';
import { logEvent } from './audit.js';
import { findCustomer, type Customer } from './customer.js';
import { CustomerIdentifierError, customersSharingTaxId, type CustomerReference } from './customer-identifiers.js';
import { enqueueMail } from './outbox.js';
import { findScopeTenant } from './tenant.js';
import { greetingNameOf, nameFromColumns } from './user.js';
import type { Links } from '../lib/urls.js';
import { visibleChangeRequests, visibleCustomers } from './visibility.js';
import { notifyOfFiledRequest } from './change-request-notifications.js';

/** The customer data a client may ask to change (A13): the address, the tax id and its country, the bank account for refunds. */
export const changeableFields = ['street', 'postalCode', 'city', 'country', 'taxCountry', 'taxId', 'bankAccount'] as const;
export type ChangeableField = (typeof changeableFields)[number];
export type CustomerData = Record<ChangeableField, string | null>;
export type ChangeRequestStatus = 'pending' | 'approved' | 'rejected';

export type ChangeRequest = {
  id: number;
  customer: CustomerSubject & { name: string };
  requestedBy: { id: number; name: string; greetingName: string; email: string | null; locale: string | null };
  /** Only the fields asked to change, with their new values. */
  changes: Partial<CustomerData>;
  /** Every changeable field as it was when the request was made. */
  previous: CustomerData;
  status: ChangeRequestStatus;
  decidedBy: string | null;
  decisionReason: string | null;
  createdAt: string;
  decidedAt: string | null;
};

const columns: Record<ChangeableField, string> = {
  street: 'street',
  postalCode: 'postal_code',
  city: 'city',
  country: 'country',
  taxCountry: 'tax_country',
  taxId: 'tax_id',
  bankAccount: 'bank_account',
};

export function customerDataOf(customer: Customer): CustomerData {
  return Object.fromEntries(changeableFields.map((field) => [field, customer[field] ?? null])) as CustomerData;
}

/** Values compared as people mean them: "123 456 32 18" and "1234563218" are one tax id. */
function comparable(field: ChangeableField, value: string | null): string | null {
  if (value === null || value === '') return null;
  if (field === 'taxId' || field === 'bankAccount') return value.replace(/[\s-]/g, '').toUpperCase().replace(/^PL(?=\d{10}$|\d{26}$)/, '');
  return value;
}

/** The fields whose values differ between two versions of the customer data. */
export function differingFields(before: Partial<CustomerData>, after: Partial<CustomerData>, fields: readonly ChangeableField[] = changeableFields): ChangeableField[] {
  return fields.filter((field) => comparable(field, before[field] ?? null) !== comparable(field, after[field] ?? null));
}

/**
 * Asks for a change of the client's customer data. Only the fields that differ from the record
 * are kept; the record itself does not change until staff approve.
 * @throws ForbiddenError when the actor may not ask for changes of this customer
 * @throws ValidationError ('_form') when nothing differs from the record
 */
/** More waiting requests than this for one customer are refused: the staff queue cannot be flooded. */
const maximumPendingPerCustomer = 10;

export async function requestCustomerChange(scope: Scope, customerId: number, submitted: CustomerData, options: { links?: Links } = {}): Promise<number> {
  return scope.transaction(async (trx) => {
    await lockRow(trx, 'customers', customerId);
    const customer = await findCustomer(trx, customerId);
    if (!can(trx.actor, 'requestChanges', customer)) throw new ForbiddenError(`may not request changes of customer ${customerId}`);
    const previous = customerDataOf(customer);
    const fields = differingFields(previous, submitted);
    if (fields.length === 0) throw new ValidationError({ _form: 'changes:errors.noChange' });
    const changes = Object.fromEntries(fields.map((field) => [field, submitted[field]]));
    // The same request sent again (a double click, a resent form) is the one already waiting.
    const pending: Array<{ id: number; changes: string }> = await visibleChangeRequests(trx)
      .where({ 'customer_change_requests.customer_id': customerId, 'customer_change_requests.status': 'pending' })
      .select('customer_change_requests.id', 'customer_change_requests.changes');
    const same = pending.find((request) => request.changes === JSON.stringify(changes));
    if (same) return Number(same.id);
    if (pending.length >= maximumPendingPerCustomer) throw new ValidationError({ _form: 'changes:errors.tooManyPending' });
    const id = await trx.insert('customer_change_requests', {
      customer_id: customerId,
      requested_by: signedInUser(trx).id,
      changes: JSON.stringify(changes),
      previous: JSON.stringify(previous),
      status: 'pending',
      created_at: toDatabaseTime(trx.now()),
    });
    await logEvent(trx, { action: 'customer.change_requested', subjectType: 'customer', subjectId: customerId, details: { requestId: id, fields } });
    // Given links (a request from the portal), staff are told in the same transaction (change-request-notifications.ts).
    if (options.links) await notifyOfFiledRequest(trx, { requestId: id, customerId, customerName: customer.name, requestedBy: signedInUser(trx).id, fields }, options.links);
    return id;
  });
}

function requestsQuery(scope: Scope): Knex.QueryBuilder {
  return visibleChangeRequests(scope)
    .join('customers', function joinCustomer() {
      this.on('customers.tenant_id', '=', 'customer_change_requests.tenant_id').andOn('customers.id', '=', 'customer_change_requests.customer_id');
    })
    .join('users as requesters', function joinRequester() {
      this.on('requesters.tenant_id', '=', 'customer_change_requests.tenant_id').andOn('requesters.id', '=', 'customer_change_requests.requested_by');
    })
    .leftJoin('users as deciders', function joinDecider() {
      this.on('deciders.tenant_id', '=', 'customer_change_requests.tenant_id').andOn('deciders.id', '=', 'customer_change_requests.decided_by');
    });
}

const selected = [
  'customer_change_requests.*',
  'customers.name as customer_name',
  'customers.caretaker_id as customer_caretaker_id',
  'customers.tax_country as customer_tax_country',
  'requesters.first_name as requester_first_name',
  'requesters.last_name as requester_last_name',
  'requesters.email as requester_email',
  'requesters.locale as requester_locale',
  'deciders.first_name as decider_first_name',
  'deciders.last_name as decider_last_name',
];

function toChangeRequest(row: Record<string, unknown>): ChangeRequest {
  return {
    id: Number(row.id),
    customer: {
      id: Number(row.customer_id),
      tenantId: Number(row.tenant_id),
      name: String(row.customer_name),
      caretakerId: row.customer_caretaker_id === null ? null : Number(row.customer_caretaker_id),
    },
    requestedBy: {
      id: Number(row.requested_by),
      name: nameFromColumns(row.requester_first_name, row.requester_last_name),
      greetingName: greetingNameOf({ firstName: String(row.requester_first_name ?? ''), lastName: String(row.requester_last_name ?? '') }),
      email: (row.requester_email as string | null) ?? null,
      locale: (row.requester_locale as string | null) ?? null,
    },
    changes: JSON.parse(String(row.changes)) as Partial<CustomerData>,
    previous: previousOf(row),
    status: row.status as ChangeRequestStatus,
    decidedBy: row.decided_by === null ? null : nameFromColumns(row.decider_first_name, row.decider_last_name),
    decisionReason: (row.decision_reason as string | null) ?? null,
    createdAt: String(row.created_at),
    decidedAt: (row.decided_at as string | null) ?? null,
  };
}

/**
 * The data as it was when the request was made. Requests made before the tax id's country could be
 * changed did not record it: it was the customer's, which only an admin could change since, so the
 * record's present one stands in (and is not reported as changed since).
 */
function previousOf(row: Record<string, unknown>): CustomerData {
  const previous = JSON.parse(String(row.previous)) as Partial<CustomerData>;
  return { ...previous, taxCountry: previous.taxCountry ?? String(row.customer_tax_country ?? 'PL') } as CustomerData;
}

/** @throws NotFoundError when the request is not the scope tenant's */
export async function findChangeRequest(scope: Scope, id: number): Promise<ChangeRequest> {
  const row = await requestsQuery(scope).where('customer_change_requests.id', id).first(...selected);
  if (!row) throw new NotFoundError(`change request ${id} not found`);
  return toChangeRequest(row);
}

/** A customer's requests, newest first: what the client and staff see as its history. */
export async function listCustomerChangeRequests(scope: Scope, customerId: number, limit = 50): Promise<ChangeRequest[]> {
  const rows = await requestsQuery(scope)
    .where('customer_change_requests.customer_id', customerId)
    .orderBy('customer_change_requests.id', 'desc')
    .limit(limit)
    .select(selected);
  return rows.map(toChangeRequest);
}

export type StaffListFilter = 'pending' | 'decided';

/**
 * One page of the requests staff may decide, oldest pending first or newest decided first, with
 * how many there are of each: a caretaker sees those of the customers they look after, admins all.
 */
export async function listChangeRequestsForStaff(scope: Scope, filter: StaffListFilter, page: Page): Promise<{ requests: ChangeRequest[]; counts: Record<StaffListFilter, number> }> {
  const ofKind = (kind: StaffListFilter) => {
    const query = requestsQuery(scope);
    return kind === 'pending' ? query.where('customer_change_requests.status', 'pending') : query.whereNot('customer_change_requests.status', 'pending');
  };
  const [pending, decided] = await Promise.all([ofKind('pending').count({ count: '*' }).first(), ofKind('decided').count({ count: '*' }).first()]);
  const counts = { pending: Number(pending?.count ?? 0), decided: Number(decided?.count ?? 0) };
  const rows = await ofKind(filter)
    .orderBy('customer_change_requests.id', filter === 'pending' ? 'asc' : 'desc')
    .limit(page.perPage)
    .offset(page.offset)
    .select(selected);
  return { requests: rows.map(toChangeRequest), counts };
}

export type Decision = { approve: true; isSharedTaxIdConfirmed?: boolean } | { approve: false; reason: string };

/**
 * The tenant's other customers that already have the tax id a request would give its customer
 * (with its country, asked or kept): staff approving it confirm the sharing, as on the customer
 * form (branches share a NIP, a typo must not make two customers one). None when the request
 * leaves the tax id alone or removes it.
 */
export async function customersSharingRequestedTaxId(scope: Scope, request: ChangeRequest, customer: Customer): Promise<CustomerReference[]> {
  if (!('taxId' in request.changes) && !('taxCountry' in request.changes)) return [];
  const taxId = 'taxId' in request.changes ? (request.changes.taxId ?? null) : customer.taxId;
  const taxCountry = request.changes.taxCountry ?? customer.taxCountry;
  if (!taxId) return [];
  return customersSharingTaxId(scope, taxCountry, taxId, customer.id);
}

/**
 * Approves or rejects a pending request, once. The status changes only where it is still
 * 'pending', so a double click or two staff at once decide it a single time: the later one is
 * told 'already-decided' and nothing else happens. An approval writes the requested fields (and
 * only those) to the customer and bumps its version, in the same transaction; the client is
 * e-mailed in their language. An approval that gives the customer a tax id another customer has
 * goes through only with the decision's confirmation (checked after the status, in the transaction).
 * @throws ForbiddenError when the actor may not decide this customer's changes;
 *   CustomerIdentifierError naming the customers that share the tax id, while not confirmed
 */
export async function decideChangeRequest(scope: Scope, id: number, decision: Decision, options: { links: Links }): Promise<'decided' | 'already-decided'> {
  return scope.transaction(async (trx) => {
    const request = await findChangeRequest(trx, id);
    if (!can(trx.actor, 'decideChanges', request.customer)) throw new ForbiddenError(`may not decide change request ${id}`);
    const now = toDatabaseTime(trx.now());
    const status: ChangeRequestStatus = decision.approve ? 'approved' : 'rejected';
    const updated = await visibleChangeRequests(trx)
      .where({ 'customer_change_requests.id': id, 'customer_change_requests.status': 'pending' })
      .update({ status, decided_by: signedInUser(trx).id, decided_at: now, decision_reason: decision.approve ? null : decision.reason });
    if (!updated) return 'already-decided';
    const fields = Object.keys(request.changes) as ChangeableField[];
    if (decision.approve) {
      if (!decision.isSharedTaxIdConfirmed) {
        const sharingTaxId = await customersSharingRequestedTaxId(trx, request, await findCustomer(trx, request.customer.id));
        if (sharingTaxId.length > 0) throw new CustomerIdentifierError({ sharingTaxId });
      }
      const update: Record<string, unknown> = { version: trx.raw('version + 1'), updated_at: now };
      for (const field of fields) update[columns[field]] = request.changes[field] ?? null;
      await visibleCustomers(trx).where('customers.id', request.customer.id).update(update);
    }
    const subject = { subjectType: 'customer', subjectId: request.customer.id, details: { requestId: id, fields } };
    await logEvent(trx, decision.approve ? { action: 'customer.change_approved', ...subject } : { action: 'customer.change_rejected', ...subject });
    await notifyRequester(trx, request, decision, options);
    return 'decided';
  });
}

async function notifyRequester(scope: Scope, request: ChangeRequest, decision: Decision, options: { links: Links }): Promise<void> {
  if (!request.requestedBy.email) return;
  const tenant = await findScopeTenant(scope);
  await enqueueMail(scope, {
    to: request.requestedBy.email,
    recipientUserId: request.requestedBy.id,
    customerId: request.customer.id,
    locale: request.requestedBy.locale ?? tenant.defaultLocale,
    template: decision.approve ? 'change-request-approved' : 'change-request-rejected',
    data: {
      tenant: tenant.name,
      name: request.requestedBy.name,
      greetingName: request.requestedBy.greetingName,
      customer: request.customer.name,
      link: options.links.absolute('portal.companies.show', { tenant: tenant.slug }),
      ...(decision.approve ? {} : { reason: decision.reason }),
    },
  });
}

/** How many requests wait for a decision among those the actor sees (the staff menu's count): one count. */
export async function countPendingChangeRequests(scope: Scope): Promise<number> {
  const row = await visibleChangeRequests(scope).where('customer_change_requests.status', 'pending').count({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

/** The oldest requests waiting for a decision, with how many wait in all, in one query (the staff start page). */
export async function listPendingChangeRequests(scope: Scope, limit: number): Promise<{ requests: ChangeRequest[]; total: number }> {
  const rows: Array<Record<string, unknown>> = await requestsQuery(scope)
    .where('customer_change_requests.status', 'pending')
    .orderBy('customer_change_requests.id', 'asc')
    .limit(limit)
    .select([...selected, scope.raw('count(*) over () as total')]);
  return { requests: rows.map(toChangeRequest), total: Number(rows[0]?.total ?? 0) };
}

/**
 * A customer's requests that still wait, or were decided within the last `days` days, newest
 * first (the client's start page; the company page keeps the whole history).
 */
export async function listRecentChangeRequests(scope: Scope, customerId: number, options: { days: number; limit: number }): Promise<ChangeRequest[]> {
  const since = toDatabaseTime(new Date(scope.now().getTime() - options.days * 24 * 60 * 60 * 1000));
  const rows = await requestsQuery(scope)
    .where('customer_change_requests.customer_id', customerId)
    .where((recent) => recent.where('customer_change_requests.status', 'pending').orWhere('customer_change_requests.decided_at', '>=', since))
    .orderBy('customer_change_requests.id', 'desc')
    .limit(options.limit)
    .select(selected);
  return rows.map(toChangeRequest);
}
