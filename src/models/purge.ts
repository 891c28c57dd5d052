import { actingUserId, isAdministrator, lockRow, type Scope } from '../db/scope.js';
import { ConflictError, ForbiddenError, isUniqueViolation, NotFoundError, ValidationError } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { enqueueTenantJob } from './job.js';
import { allocateCustomer } from './ledger-allocation.js';
import { throttleKeys } from './login-throttle.js';
import { chunksOf, collectPurgeRows, countsOf, deletePurgeRows, purgeKinds, rootTables, valuesOf, type PurgeKind, type PurgeRows } from './purge-plan.js';
import { findPurgeRequest } from './purge-request.js';
import { settingsInForce } from './settings.js';
import { ticketNumber } from './ticket.js';
import { rowsForPurge, visibleCustomers, visibleLedgerEntries, visibleTickets } from './visibility.js';

export { purgeKinds, type PurgeKind } from './purge-plan.js';

/**
 * Purges of approved data (D2): a superadmin asks, with the target's name or number typed out; where
 * the tenant's `purge.requires_approval` is on (the default) another superadmin or an admin approves,
 * and the purge runs at that approval; off, it runs at the confirmation. Either way the purge is one
 * transaction with the last decision. A request keeps the kind, the target's id and the counts, never
 * a name (docs/decisions.md, "Purges and the customer's data export").
 */
export type PurgeTarget = { kind: PurgeKind; id: number };
const table = 'purge_requests' as const;

/** What a purge would remove now: rows by table, and how many of them are files. */
export type PurgePreview = { counts: Record<string, number>; files: number };

const openKeyOf = (target: PurgeTarget) => `${target.kind}:${target.id}`;

/** What must be typed to confirm: the customer's name, the ticket's number, the entry's document number (its id when it has none). */
async function targetState(scope: Scope, target: PurgeTarget): Promise<{ confirmation: string; isPurgeable: boolean; refusal: string; customerId: number }> {
  if (target.kind === 'customer') {
    const row = await visibleCustomers(scope).where('customers.id', target.id).first('customers.id', 'customers.name', 'customers.is_active');
    if (!row) throw new NotFoundError(`customer ${target.id} not found`);
    return { confirmation: String(row.name).trim(), isPurgeable: !row.is_active, refusal: 'purge:refused.customerActive', customerId: Number(row.id) };
  }
  if (target.kind === 'ticket') {
    const tickets = await visibleTickets(scope);
    const row = await tickets().where('tickets.id', target.id).first('tickets.year', 'tickets.sequence', 'tickets.status', 'tickets.customer_id');
    if (!row) throw new NotFoundError(`ticket ${target.id} not found`);
    return { confirmation: ticketNumber(Number(row.year), Number(row.sequence)), isPurgeable: isPurgeableTicketStatus(String(row.status)), refusal: 'purge:refused.ticketNotClosed', customerId: Number(row.customer_id) };
  }
  const row = await visibleLedgerEntries(scope).where('ledger_entries.id', target.id).first('ledger_entries.document_number', 'ledger_entries.status', 'ledger_entries.customer_id');
  if (!row) throw new NotFoundError(`ledger entry ${target.id} not found`);
  return { confirmation: row.document_number ? String(row.document_number) : String(target.id), isPurgeable: isPurgeableEntryStatus(String(row.status)), refusal: 'purge:refused.entryPending', customerId: Number(row.customer_id) };
}

/**
 * Only approved data is purged: a customer once deactivated (its people signed out, nothing new
 * coming in), a ticket closed or rejected (a resolved one may still be reopened), a ledger entry
 * decided (a pending one is approved or rejected first).
 * @throws ConflictError (409) naming why not; NotFoundError when the target is gone
 */
async function purgeableTarget(scope: Scope, target: PurgeTarget) {
  const state = await targetState(scope, target);
  if (!state.isPurgeable) throw new ConflictError(`${target.kind} ${target.id} may not be purged now`, { messageKey: state.refusal });
  return state;
}

/** A ticket is purged once closed or rejected: a resolved one may still be reopened. */
export function isPurgeableTicketStatus(status: string): boolean {
  return status === 'closed' || status === 'rejected';
}

/** A ledger entry is purged once decided: a pending one is approved or rejected first. */
export function isPurgeableEntryStatus(status: string): boolean {
  return status !== 'pending';
}

/** The text a superadmin types to confirm the purge of the target, and whether it may be purged now (if not, the message saying why): one read. */
export async function purgeConfirmationOf(scope: Scope, target: PurgeTarget): Promise<{ confirmation: string; refusal: string | null }> {
  const state = await targetState(scope, target);
  return { confirmation: state.confirmation, refusal: state.isPurgeable ? null : state.refusal };
}

/** What the purge of the target would remove now, table by table (D2: shown before anyone confirms). */
export async function previewPurge(scope: Scope, target: PurgeTarget): Promise<PurgePreview> {
  const rows = await collectPurgeRows(scope, target.kind, target.id);
  return { counts: countsOf(rows), files: rows.get('stored_files')?.size ?? 0 };
}

/**
 * Asks for the purge of the target, confirmed by its name or number typed out (trimmed; anything else
 * is 422 and nothing is written). A request already waiting for the target is that one (a double
 * click, two superadmins at once). Where no approval is needed the purge runs in the same transaction.
 * @returns the request and whether it has run
 * @throws ValidationError when the typed text does not match; ConflictError when the target may not be purged
 */
export async function requestPurge(scope: Scope, target: PurgeTarget, typed: string): Promise<{ id: number; isRun: boolean }> {
  const user = requireAdministrator(scope);
  if (user.role !== 'superadmin') throw new ForbiddenError('only a superadmin asks for a purge');
  try {
    return await scope.transaction(async (trx) => {
      await lockRow(trx, rootTables[target.kind], target.id);
      const state = await purgeableTarget(trx, target);
      if (typed.trim() !== state.confirmation) throw new ValidationError({ confirmation: 'purge:errors.confirmationMismatch' });
      const waiting = await rowsForPurge(trx, table).where('open_key', openKeyOf(target)).first('id');
      if (waiting) return { id: Number(waiting.id), isRun: false };
      const rows = await collectPurgeRows(trx, target.kind, target.id);
      const counts = countsOf(rows);
      const id = await trx.insert(table, {
        kind: target.kind,
        target_id: target.id,
        status: 'requested',
        counts: JSON.stringify(counts),
        open_key: openKeyOf(target),
        requested_by: user.id,
        requested_at: toDatabaseTime(trx.now()),
      });
      await logEvent(trx, { action: 'purge.requested', subjectType: 'purge_request', subjectId: id, details: { kind: target.kind, targetId: target.id, counts } });
      const requiresApproval = (await settingsInForce(trx))['purge.requires_approval'].value === 'on';
      if (requiresApproval) return { id, isRun: false };
      await runPurge(trx, { id, version: 1, kind: target.kind, targetId: target.id }, state.customerId);
      return { id, isRun: true };
    });
  } catch (error) {
    // Another request for the target was made at the same moment and committed first: it is the one.
    if (!isUniqueViolation(error)) throw error;
    const waiting = await rowsForPurge(scope, table).where('open_key', openKeyOf(target)).first('id');
    if (!waiting) throw error;
    return { id: Number(waiting.id), isRun: false };
  }
}

/**
 * Approves a waiting request and runs the purge, in one transaction: another superadmin or an admin,
 * never its author (403). Approved meanwhile by someone else, or cancelled: 409, nothing changes.
 */
export async function approvePurge(scope: Scope, id: number, version: number): Promise<void> {
  const user = requireAdministrator(scope);
  await scope.transaction(async (trx) => {
    const request = await findPurgeRequest(trx, id);
    if (request.requestedBy === user.id) throw new ForbiddenError('the author of a purge request may not approve it', { messageKey: 'purge:refused.ownRequest' });
    if (request.status !== 'requested') throw new ConflictError(`purge request ${id} is ${request.status}`, { messageKey: 'purge:refused.notWaiting' });
    const changed = await rowsForPurge(trx, table)
      .where({ id, status: 'requested', version })
      .update({ approved_by: user.id, approved_at: toDatabaseTime(trx.now()), version: version + 1 });
    if (changed === 0) throw new ConflictError(`purge request ${id} changed meanwhile`, { messageKey: 'purge:refused.notWaiting' });
    await logEvent(trx, { action: 'purge.approved', subjectType: 'purge_request', subjectId: id, details: { kind: request.kind, targetId: request.targetId } });
    await lockRow(trx, rootTables[request.kind], request.targetId);
    const state = await purgeableTarget(trx, { kind: request.kind, id: request.targetId });
    await runPurge(trx, { id, version: version + 1, kind: request.kind, targetId: request.targetId }, state.customerId);
  });
}

/** Cancels a waiting request (a superadmin: its author or another); one already run or cancelled is 409. */
export async function cancelPurge(scope: Scope, id: number, version: number): Promise<void> {
  const user = requireAdministrator(scope);
  if (user.role !== 'superadmin') throw new ForbiddenError('only a superadmin cancels a purge request');
  await scope.transaction(async (trx) => {
    const request = await findPurgeRequest(trx, id);
    const changed = await rowsForPurge(trx, table)
      .where({ id, status: 'requested', version })
      .update({ status: 'cancelled', open_key: null, finished_by: user.id, finished_at: toDatabaseTime(trx.now()), version: version + 1 });
    if (changed === 0) throw new ConflictError(`purge request ${id} is no longer waiting`, { messageKey: 'purge:refused.notWaiting' });
    await logEvent(trx, { action: 'purge.cancelled', subjectType: 'purge_request', subjectId: id, details: { kind: request.kind, targetId: request.targetId } });
  });
}

/**
 * The purge itself, inside the deciding transaction: every row of the target goes (purge-plan.ts),
 * addresses in earlier audit entries of the removed accounts are cleared (the address is outside
 * the chain's hash, so the chain holds), sign-in counters of their logins are forgotten, requests
 * waiting for a target that goes with this one are cancelled, and the content of files kept outside
 * the database is removed by jobs that run once this commits.
 */
async function runPurge(trx: Scope, request: { id: number; version: number; kind: PurgeKind; targetId: number }, customerId: number): Promise<void> {
  const { kind, targetId } = request;
  const rows = await collectPurgeRows(trx, kind, targetId);
  const counts = countsOf(rows);
  await forgetPeople(trx, rows);
  await cancelRequestsOfPurgedTargets(trx, rows, request.id);
  await deletePurgeRows(trx, kind, rows);
  if (kind === 'ledger_entry') await allocateCustomer(trx, customerId);
  await removeFileContentLater(trx, rows);
  const now = toDatabaseTime(trx.now());
  await rowsForPurge(trx, table)
    .where({ id: request.id, version: request.version })
    .update({ status: 'run', open_key: null, counts: JSON.stringify(counts), finished_by: actingUserId(trx.actor), finished_at: now, version: request.version + 1 });
  await logEvent(trx, { action: 'purge.run', subjectType: 'purge_request', subjectId: request.id, details: { kind, targetId, counts } });
}

async function forgetPeople(trx: Scope, rows: PurgeRows): Promise<void> {
  const accounts = valuesOf(rows, 'users');
  for (const chunk of chunksOf(accounts)) {
    await rowsForPurge(trx, 'audit_log').whereIn('audit_log.actor_id', chunk as number[]).whereNotNull('audit_log.ip').update({ ip: null });
    await rowsForPurge(trx, 'audit_log').where('audit_log.subject_type', 'user').whereIn('audit_log.subject_id', chunk as number[]).whereNotNull('audit_log.ip').update({ ip: null });
  }
  const logins = valuesOf(rows, 'users', 'login').map((login) => throttleKeys(trx.tenantId, String(login), '').login);
  for (const chunk of chunksOf(logins)) await trx.shared('login_throttles').whereIn('throttle_key', chunk).delete();
}

async function cancelRequestsOfPurgedTargets(trx: Scope, rows: PurgeRows, exceptId: number): Promise<void> {
  for (const kind of purgeKinds) {
    const root = rootTables[kind];
    for (const chunk of chunksOf(valuesOf(rows, root))) {
      await rowsForPurge(trx, table)
        .where({ kind, status: 'requested' })
        .whereNot('id', exceptId)
        .whereIn('target_id', chunk as number[])
        .update({ status: 'cancelled', open_key: null, finished_by: actingUserId(trx.actor), finished_at: toDatabaseTime(trx.now()), version: trx.raw('version + 1') });
    }
  }
}

/** Files in a store outside the transaction (a folder): a `files.delete` job each, queued here so it runs only once this commits. */
async function removeFileContentLater(trx: Scope, rows: PurgeRows): Promise<void> {
  const contents = [
    ...[...(rows.get('stored_files')?.values() ?? [])].map((row) => ({ store: String(row.store), key: String(row.store_key) })),
    ...[...(rows.get('mail_intake')?.values() ?? [])].map((row) => ({ store: String(row.raw_store), key: String(row.raw_store_key) })),
  ];
  for (const content of contents.filter((candidate) => candidate.store !== 'database')) {
    await enqueueTenantJob(trx, { kind: 'files.delete', payload: { store: content.store, key: content.key }, runAt: trx.now() });
  }
}

function requireAdministrator(scope: Scope) {
  if (!isAdministrator(scope.actor)) throw new ForbiddenError('only admins decide purges');
  return scope.actor;
}

