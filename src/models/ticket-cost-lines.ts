import type { Scope } from '../db/scope.js';
import { actingUserId, lockRow } from '../db/scope.js';
import { ConflictError, isUniqueViolation, NotFoundError } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { lineNet, pricingTotals, type CostLineKind, type PricingTotals } from './cost-line-totals.js';
import { findScopeTenant } from './tenant.js';
import { findTicket, type Ticket } from './ticket.js';
import { visibleTickets } from './visibility.js';

/** A cost line of a ticket (T10), with its net value worked out (never stored). */
export type CostLine = {
  id: number;
  ticketId: number;
  kind: CostLineKind;
  description: string;
  quantityThousandths: number;
  unitPriceMinor: number;
  vatRate: string;
  net: number;
  version: number;
};

/** What a form sets on a line. */
export type CostLineInput = Pick<CostLine, 'kind' | 'description' | 'quantityThousandths' | 'unitPriceMinor' | 'vatRate'>;

/** A ticket's pricing: its lines in the order they were added, the totals, the currency and whether it can still change. */
export type TicketPricing = { currency: string; lines: CostLine[]; totals: PricingTotals; isFrozen: boolean };

/**
 * A finished ticket's pricing is frozen: closed is the end of a ticket's life, and a rejected one was
 * never worked. A resolved ticket may still be corrected (the client sees the lines from then on,
 * and a reopened ticket may need more work); once closed, the report a client downloaded stays true.
 */
export function isPricingFrozen(status: Ticket['status']): boolean {
  return status === 'closed' || status === 'rejected';
}

const frozen = (ticketId: number) => new ConflictError(`the pricing of ticket ${ticketId} is frozen`, { messageKey: 'pricing:errors.frozen' });

function toCostLine(row: Record<string, unknown>): CostLine {
  const line = {
    id: Number(row.id),
    ticketId: Number(row.ticket_id),
    kind: row.kind as CostLineKind,
    description: String(row.description),
    quantityThousandths: Number(row.quantity_thousandths),
    unitPriceMinor: Number(row.unit_price_minor),
    vatRate: String(row.vat_rate),
    version: Number(row.version),
  };
  return { ...line, net: lineNet(line) };
}

/** The lines of a ticket the caller loaded through the actor (findTicket), oldest first. */
export async function listCostLines(scope: Scope, ticket: Pick<Ticket, 'id'>): Promise<CostLine[]> {
  const rows: Array<Record<string, unknown>> = await scope.table('ticket_cost_lines').where('ticket_cost_lines.ticket_id', ticket.id).orderBy('ticket_cost_lines.id');
  return rows.map(toCostLine);
}

/** The pricing of a ticket the caller loaded through the actor: lines, totals in the tenant's currency, and whether it is frozen. */
export async function ticketPricing(scope: Scope, ticket: Pick<Ticket, 'id' | 'status'>): Promise<TicketPricing> {
  const [tenant, lines] = await Promise.all([findScopeTenant(scope), listCostLines(scope, ticket)]);
  return { currency: tenant.currency, lines, totals: pricingTotals(lines, tenant.currency), isFrozen: isPricingFrozen(ticket.status) };
}

/**
 * A cost line of a ticket the actor sees.
 * @throws NotFoundError when there is none, or its ticket is out of the actor's reach
 */
export async function findCostLine(scope: Scope, id: number): Promise<CostLine> {
  const tickets = await visibleTickets(scope);
  const row = await scope.table('ticket_cost_lines').where('ticket_cost_lines.id', id).whereIn('ticket_cost_lines.ticket_id', tickets().select('tickets.id')).first();
  if (!row) throw new NotFoundError(`cost line ${id}`);
  return toCostLine(row);
}

/**
 * The ticket as it is now, locked against a status change until the transaction ends (MySQL), so
 * a line is never added to a ticket closed at the same moment; refused when the pricing is frozen.
 * @throws NotFoundError out of reach; ConflictError ('pricing:errors.frozen') for a closed or rejected ticket
 */
async function ticketOpenForPricing(trx: Scope, ticketId: number): Promise<Ticket> {
  await lockRow(trx, 'tickets', ticketId);
  const ticket = await findTicket(trx, ticketId);
  if (isPricingFrozen(ticket.status)) throw frozen(ticket.id);
  return ticket;
}

/** A line of the ticket as stored now, or undefined when it is gone. */
async function storedLine(trx: Scope, ticketId: number, lineId: number): Promise<CostLine | undefined> {
  const row = await trx.table('ticket_cost_lines').where({ 'ticket_cost_lines.id': lineId, 'ticket_cost_lines.ticket_id': ticketId }).first();
  return row ? toCostLine(row) : undefined;
}

const columnsOf = (input: CostLineInput) => ({ kind: input.kind, description: input.description, quantity_thousandths: input.quantityThousandths, unit_price_minor: input.unitPriceMinor, vat_rate: input.vatRate });
const inputFields = ['kind', 'description', 'quantityThousandths', 'unitPriceMinor', 'vatRate'] as const;
const changedFields = (line: CostLine, input: CostLineInput) => inputFields.filter((field) => line[field] !== input[field]);

/**
 * Adds a cost line to a ticket (staff who work it). The same form sent twice (a double click, two
 * requests at once) adds one line. The VAT rate must be one of the tenant's (the validator checks).
 * @throws ConflictError ('pricing:errors.frozen') when the ticket is closed or rejected
 */
export async function addCostLine(scope: Scope, ticketId: number, input: CostLineInput & { submissionKey: string | null }): Promise<number> {
  const earlier = async () => (input.submissionKey ? await scope.table('ticket_cost_lines').where({ 'ticket_cost_lines.ticket_id': ticketId, 'ticket_cost_lines.submission_key': input.submissionKey }).first('id') : undefined);
  const found = await earlier();
  if (found) return Number(found.id);
  try {
    return await scope.transaction(async (trx) => {
      const ticket = await ticketOpenForPricing(trx, ticketId);
      const now = toDatabaseTime(trx.now());
      const userId = actingUserId(trx.actor);
      const id = await trx.insert('ticket_cost_lines', { ticket_id: ticket.id, ...columnsOf(input), version: 1, submission_key: input.submissionKey, created_by: userId, updated_by: userId, created_at: now, updated_at: now });
      await logEvent(trx, { action: 'ticket.cost_line_added', subjectType: 'ticket', subjectId: ticket.id, details: { costLineId: id, kind: input.kind } });
      return id;
    });
  } catch (error) {
    const repeated = isUniqueViolation(error) && !scope.isTransaction ? await earlier() : undefined;
    if (repeated) return Number(repeated.id);
    throw error;
  }
}

/** What a save of a line met: saved, or someone else's change since the form was opened (nothing written). */
export type CostLineSaveResult = { outcome: 'saved' } | { outcome: 'changed'; stored: CostLine };

/**
 * Changes a cost line at the version its form was opened with. When someone changed it since, nothing
 * is written and the stored line comes back, so the page can show it beside the user's values (409);
 * the same values sent twice count as saved.
 * @throws NotFoundError when the line is gone (removed meanwhile); ConflictError ('pricing:errors.frozen') when the ticket is closed or rejected
 */
export async function updateCostLine(scope: Scope, ticketId: number, lineId: number, input: CostLineInput & { version: number }): Promise<CostLineSaveResult> {
  return scope.transaction(async (trx) => {
    const ticket = await ticketOpenForPricing(trx, ticketId);
    const stored = await storedLine(trx, ticket.id, lineId);
    if (!stored) throw new NotFoundError(`cost line ${lineId} of ticket ${ticket.id}`);
    const fields = changedFields(stored, input);
    if (fields.length === 0) return { outcome: 'saved' };
    if (stored.version !== input.version) return { outcome: 'changed', stored };
    const updated = await trx
      .table('ticket_cost_lines')
      .where({ 'ticket_cost_lines.id': lineId, 'ticket_cost_lines.version': input.version })
      .update({ ...columnsOf(input), version: trx.raw('version + 1'), updated_by: actingUserId(trx.actor), updated_at: toDatabaseTime(trx.now()) });
    if (Number(updated) !== 1) return { outcome: 'changed', stored: (await storedLine(trx, ticket.id, lineId)) ?? stored };
    await logEvent(trx, { action: 'ticket.cost_line_changed', subjectType: 'ticket', subjectId: ticket.id, details: { costLineId: lineId, fields } });
    return { outcome: 'saved' };
  });
}

/**
 * Removes a cost line, at the version the page showed: a line someone changed since is not removed
 * unseen (409). A line already gone (a double click) counts as removed.
 * @throws ConflictError ('pricing:errors.removalChanged') when it changed; ('pricing:errors.frozen') when the ticket is closed or rejected
 */
export async function removeCostLine(scope: Scope, ticketId: number, lineId: number, version: number): Promise<void> {
  await scope.transaction(async (trx) => {
    const ticket = await ticketOpenForPricing(trx, ticketId);
    const stored = await storedLine(trx, ticket.id, lineId);
    if (!stored) return;
    const removed = await trx.table('ticket_cost_lines').where({ 'ticket_cost_lines.id': lineId, 'ticket_cost_lines.version': version }).delete();
    if (Number(removed) !== 1) throw new ConflictError(`cost line ${lineId} changed meanwhile`, { messageKey: 'pricing:errors.removalChanged' });
    await logEvent(trx, { action: 'ticket.cost_line_removed', subjectType: 'ticket', subjectId: ticket.id, details: { costLineId: lineId, kind: stored.kind } });
  });
}
