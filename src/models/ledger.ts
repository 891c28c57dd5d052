import type { Scope } from '../db/scope.js';
import { actingUserId, isAdministrator, lockRow } from '../db/scope.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.js';
import { minorUnitsFrom, moneyForDatabase, moneyOf, type Money } from '../lib/money.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { findCustomer } from './customer.js';
import { doOnce, type KeyedResult } from './idempotency.js';
import { allocateCustomer } from './ledger-allocation.js';
import { settingsInForce } from './settings.js';
import { findScopeTenant } from './tenant.js';
import { visibleLedgerEntries } from './visibility.js';

/**
 * The ledger of a customer (M1): invoices (charges with a due date), payments, and corrections that
 * point at the entry they correct. An entry is pending until an admin approves it (or rejects it,
 * with a reason); only approved entries count. An approved entry is never updated or deleted by
 * the app: a mistake is fixed by a correction. Amounts are Money in the tenant's currency.
 */
export type LedgerKind = 'invoice' | 'payment' | 'correction';
export type LedgerStatus = 'pending' | 'approved' | 'rejected';
export const paymentMethods = ['transfer', 'cash', 'card', 'other'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];
export type LedgerSource = 'manual' | 'import' | 'api';

export type LedgerEntry = {
  id: number;
  customerId: number;
  kind: LedgerKind;
  status: LedgerStatus;
  /** Positive for invoices and payments; for a correction, + raises what the customer owes and − lowers it. */
  amount: Money;
  documentNumber: string | null;
  entryDate: string;
  dueDate: string | null;
  method: PaymentMethod | null;
  description: string | null;
  correctsEntryId: number | null;
  paysEntryId: number | null;
  externalId: string | null;
  source: LedgerSource;
  enteredBy: number | null;
  enteredAt: string;
  decidedBy: number | null;
  decidedAt: string | null;
  rejectionReason: string | null;
  version: number;
};

export type NewInvoice = { kind: 'invoice'; customerId: number; amount: Money; documentNumber: string; issueDate: string; dueDate: string; description?: string | null; externalId?: string | null };
export type NewPayment = { kind: 'payment'; customerId: number; amount: Money; paidOn: string; method: PaymentMethod; reference?: string | null; paysEntryId?: number | null; externalId?: string | null };
/** A correction of an approved invoice or payment; its customer is the original's. */
export type NewCorrection = { kind: 'correction'; correctsEntryId: number; amount: Money; date: string; description: string; externalId?: string | null };
export type NewLedgerEntry = NewInvoice | NewPayment | NewCorrection;

export type EntryOptions = {
  source?: LedgerSource;
  /** A form's or an API request's key: the same key enters one entry, however often it is sent. */
  idempotencyKey?: string | null;
  /** Entered approved at once: what the accounting system sends has been approved there (imports, the API). */
  isApproved?: boolean;
};

/** The audit actions of a decision. */
const auditActionOfDecision = { approved: 'ledger_entry.approved', rejected: 'ledger_entry.rejected' } as const;

export function toLedgerEntry(row: Record<string, unknown>): LedgerEntry {
  const nullableNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  const nullableText = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    id: Number(row.id),
    customerId: Number(row.customer_id),
    kind: row.kind as LedgerKind,
    status: row.status as LedgerStatus,
    amount: moneyOf(minorUnitsFrom(row.amount), String(row.currency)),
    documentNumber: nullableText(row.document_number),
    entryDate: String(row.entry_date).slice(0, 10),
    dueDate: row.due_date === null || row.due_date === undefined ? null : String(row.due_date).slice(0, 10),
    method: (row.method as PaymentMethod | null) ?? null,
    description: nullableText(row.description),
    correctsEntryId: nullableNumber(row.corrects_entry_id),
    paysEntryId: nullableNumber(row.pays_entry_id),
    externalId: nullableText(row.external_id),
    source: row.source as LedgerSource,
    enteredBy: nullableNumber(row.entered_by),
    enteredAt: String(row.entered_at),
    decidedBy: nullableNumber(row.decided_by),
    decidedAt: nullableText(row.decided_at),
    rejectionReason: nullableText(row.rejection_reason),
    version: Number(row.version),
  };
}

/**
 * An entry the actor may see.
 * @throws NotFoundError when it does not exist or is out of reach (the same answer)
 */
export async function findLedgerEntry(scope: Scope, id: number): Promise<LedgerEntry> {
  const row = await visibleLedgerEntries(scope).where('ledger_entries.id', id).first('ledger_entries.*');
  if (!row) throw new NotFoundError(`ledger entry ${id}`);
  return toLedgerEntry(row);
}

/** Who may enter and decide entries: admins, the system (imports) and the API. */
function mayKeepLedger(scope: Scope): boolean {
  return scope.actor.kind === 'system' || scope.actor.kind === 'api' || isAdministrator(scope.actor);
}

/**
 * Enters an invoice, a payment or a correction: pending (or approved at once for the accounting
 * system's data, then allocated), audited, all in one transaction. With an idempotency key the same
 * submission enters one entry and a repeat answers with it.
 * @throws ForbiddenError for anyone but admins, the system and the API
 * @throws NotFoundError for a customer or an original out of reach
 * @throws ValidationError (field → message key) for an amount that is not positive (or zero for a correction), not in the tenant's currency, a due date before the issue date, a named invoice or an original that cannot be used, an invoice number taken (typed by hand)
 */
export async function enterLedgerEntry(scope: Scope, entry: NewLedgerEntry, options: EntryOptions = {}): Promise<KeyedResult> {
  if (!mayKeepLedger(scope)) throw new ForbiddenError('may not enter ledger entries');
  const enter = (trx: Scope) => enterOnce(trx, entry, options);
  if (options.idempotencyKey) return doOnce(scope, 'ledger.entry', options.idempotencyKey, enter);
  return { id: await scope.transaction(enter), isRepeat: false };
}

async function enterOnce(trx: Scope, entry: NewLedgerEntry, options: EntryOptions): Promise<number> {
  // Read under a shared lock of the tenant row: a change of the currency (billing details) waits for
  // this entry, or this entry for it and then refuses the old currency; never an entry in a currency gone.
  if (trx.isMysql) await trx.tenantRow().forShare().first('id');
  const tenant = await findScopeTenant(trx);
  if (entry.amount.currency !== tenant.currency) throw new ValidationError({ amount: 'money:errors.currency' });
  const row = await rowOf(trx, entry);
  await lockRow(trx, 'customers', row.customer_id);
  if (entry.kind === 'invoice' && (options.source ?? 'manual') === 'manual') await refuseTakenInvoiceNumber(trx, entry.documentNumber);
  const now = toDatabaseTime(trx.now());
  const isApproved = options.isApproved === true;
  const id = await trx.insert('ledger_entries', {
    ...row,
    status: isApproved ? 'approved' : 'pending',
    currency: entry.amount.currency,
    amount: moneyForDatabase(entry.amount),
    external_id: entry.externalId ?? null,
    source: options.source ?? 'manual',
    entered_by: actingUserId(trx.actor),
    entered_at: now,
    decided_by: isApproved ? actingUserId(trx.actor) : null,
    decided_at: isApproved ? now : null,
  });
  await logEvent(trx, { action: 'ledger_entry.entered', subjectType: 'ledger_entry', subjectId: id, details: { kind: entry.kind, customer: row.customer_id, source: options.source ?? 'manual', approved: isApproved } });
  if (isApproved) await allocateCustomer(trx, row.customer_id);
  return id;
}

/**
 * An invoice typed by hand whose number another invoice of the tenant has (not rejected) is a typo or
 * the same invoice twice: refused, naming the number. The accounting system's own data (imports,
 * the API) is matched by its ids instead.
 */
async function refuseTakenInvoiceNumber(trx: Scope, documentNumber: string): Promise<void> {
  const taken = await trx.table('ledger_entries').where({ kind: 'invoice', document_number: documentNumber }).whereNot('status', 'rejected').first('id');
  if (taken) throw new ValidationError({ documentNumber: 'money:errors.invoiceNumberTaken' }, `invoice number ${documentNumber} is taken`, { documentNumber: { number: documentNumber } });
}

/** The columns of a new entry, after the checks that need the database. */
async function rowOf(trx: Scope, entry: NewLedgerEntry): Promise<Record<string, unknown> & { customer_id: number }> {
  if (entry.kind === 'correction') {
    if (entry.amount.minor === 0n) throw new ValidationError({ amount: 'money:errors.correctionZero' });
    const original = await visibleLedgerEntries(trx).where('ledger_entries.id', entry.correctsEntryId).first('ledger_entries.*');
    if (!original) throw new NotFoundError(`ledger entry ${entry.correctsEntryId}`);
    if (original.kind === 'correction' || original.status !== 'approved') throw new ValidationError({ correctsEntryId: 'money:errors.correctionOriginal' });
    // No correction takes an entry below nothing: an invoice's amount with its approved corrections,
    // or a payment's (a correction that raises what is owed lowers the payment), stays at zero or more.
    const corrected = await trx.table('ledger_entries').where({ corrects_entry_id: Number(original.id), status: 'approved' }).first(trx.raw('sum(amount) as total'));
    const amount = minorUnitsFrom(original.amount);
    const already = minorUnitsFrom(corrected?.total);
    const left = original.kind === 'invoice' ? amount + already + entry.amount.minor : amount - already - entry.amount.minor;
    if (left < 0n) throw new ValidationError({ amount: 'money:errors.correctionTooLarge' }, `the correction takes entry ${String(original.id)} below zero`);
    return { customer_id: Number(original.customer_id), kind: 'correction', entry_date: entry.date, description: entry.description, corrects_entry_id: Number(original.id) };
  }
  if (entry.amount.minor <= 0n) throw new ValidationError({ amount: 'money:errors.amountPositive' });
  const customer = await findCustomer(trx, entry.customerId);
  if (entry.kind === 'invoice') {
    if (entry.dueDate < entry.issueDate) throw new ValidationError({ dueDate: 'money:errors.dueBeforeIssue' });
    return { customer_id: customer.id, kind: 'invoice', document_number: entry.documentNumber, entry_date: entry.issueDate, due_date: entry.dueDate, description: entry.description ?? null };
  }
  if (entry.paysEntryId) {
    const invoice = await trx.table('ledger_entries').where({ id: entry.paysEntryId, customer_id: customer.id, kind: 'invoice', status: 'approved' }).first('id');
    if (!invoice) throw new ValidationError({ paysEntryId: 'money:errors.paysUnknownInvoice' });
  }
  return { customer_id: customer.id, kind: 'payment', document_number: entry.reference ?? null, entry_date: entry.paidOn, method: entry.method, pays_entry_id: entry.paysEntryId ?? null };
}

/**
 * Approves a pending entry: it counts from now on, and the customer's payments and invoices are
 * allocated again. Where the tenant says so (payments.approval = other), nobody approves an entry
 * they entered themselves.
 * @throws NotFoundError when out of reach
 * @throws ForbiddenError for anyone but admins, or for one's own entry where that is not allowed
 * @throws ConflictError when someone decided it meanwhile (or it changed since `version`)
 */
export async function approveLedgerEntry(scope: Scope, id: number, version: number): Promise<void> {
  await decide(scope, id, version, async (trx, entry): Promise<Decision> => {
    const rule = (await settingsInForce(trx))['payments.approval'].value;
    if (rule === 'other' && entry.enteredBy !== null && entry.enteredBy === actingUserId(trx.actor)) {
      throw new ForbiddenError(`may not approve own ledger entry ${id}`, { messageKey: 'money:refused.ownEntry' });
    }
    return { status: 'approved', rejection_reason: null };
  });
}

/**
 * Rejects a pending entry with a reason: it never counts, and stays in the ledger's history.
 * @throws as approveLedgerEntry, and ValidationError ('reason') for an empty reason
 */
export async function rejectLedgerEntry(scope: Scope, id: number, version: number, reason: string): Promise<void> {
  if (reason.trim() === '') throw new ValidationError({ reason: 'money:errors.reasonRequired' });
  await decide(scope, id, version, async (): Promise<Decision> => ({ status: 'rejected', rejection_reason: reason.trim() }));
}

type Decision = { status: 'approved' | 'rejected'; rejection_reason: string | null };

async function decide(scope: Scope, id: number, version: number, decision: (trx: Scope, entry: LedgerEntry) => Promise<Decision>): Promise<void> {
  if (!mayKeepLedger(scope)) throw new ForbiddenError('may not decide ledger entries');
  await scope.transaction(async (trx) => {
    const entry = await findLedgerEntry(trx, id);
    await lockRow(trx, 'customers', entry.customerId);
    const columns = await decision(trx, entry);
    const changed = await trx
      .table('ledger_entries')
      .where({ id, status: 'pending', version })
      .update({ ...columns, decided_by: actingUserId(trx.actor), decided_at: toDatabaseTime(trx.now()), version: version + 1 });
    if (changed === 0) throw new ConflictError(`ledger entry ${id} was decided or changed meanwhile`, { messageKey: 'money:conflict.decided' });
    await logEvent(trx, { action: auditActionOfDecision[columns.status], subjectType: 'ledger_entry', subjectId: id, details: { kind: entry.kind, customer: entry.customerId } });
    if (columns.status === 'approved') await allocateCustomer(trx, entry.customerId);
  });
}
