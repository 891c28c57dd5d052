import { toDatabaseTime } from '../src/lib/time.js';
import type { TicketStatus } from '../src/models/ticket-status.js';
import type { SeededCustomer } from './large-customers.js';
import { between, pick, randomSource, replyFrom, ticketSubjectFrom, type Random } from './large-people.js';
import type { TenantFrame } from './large-tenant.js';
import { inTransaction, type Row, type Writer } from './large-writer.js';

/** Tickets whose rows (with their messages) go in one transaction. */
const ticketsPerTransaction = 2_000;
/** Every 50th ticket has exactly this many messages: the bench's "ticket with 20 messages". */
export const longThreadEvery = 50;
export const longThreadLength = 20;
/** The tickets span the last two years, oldest first. */
const spanDays = 730;
const hour = 3_600_000;

const ticketColumns = ['year', 'sequence', 'customer_id', 'filed_by', 'source', 'category_id', 'title', 'description', 'status', 'priority', 'assignee_id', 'due_date', 'version', 'resolved_at', 'created_at', 'updated_at'];
const messageColumns = ['ticket_id', 'author_id', 'body', 'is_internal', 'created_at'];

/** How many messages a ticket has: every 50th 20, the rest one to four (most one or two). */
export function messageCountOf(random: Random, index: number): number {
  if (index % longThreadEvery === 0) return longThreadLength;
  const draw = random();
  return draw < 0.35 ? 1 : draw < 0.65 ? 2 : draw < 0.85 ? 3 : 4;
}

/** A ticket as it stands today: old ones finished, the recent ones (and a few stuck old ones) still work to do. */
function statusOf(random: Random, ageDays: number): TicketStatus {
  const stillOpen = ageDays < 30 ? 0.6 : ageDays < 120 ? 0.08 : 0.01;
  if (random() < stillOpen) return pick(random, ['new', 'open', 'in_progress', 'in_progress', 'waiting_for_customer'] as const);
  const draw = random();
  return draw < 0.8 ? 'closed' : draw < 0.93 ? 'resolved' : 'rejected';
}

const priorityOf = (random: Random) => {
  const draw = random();
  return draw < 0.07 ? 'low' : draw < 0.9 ? 'normal' : draw < 0.97 ? 'high' : 'urgent';
};

/** Where a ticket stands in time: filed on a day counted back from today, oldest first, evenly over the span. */
type Timing = { count: number; nowMs: number };

function dayStartOf(index: number, timing: Timing): number {
  const daysAgo = Math.floor(((timing.count - index) * spanDays) / timing.count);
  return Math.floor((timing.nowMs - daysAgo * 24 * hour) / (24 * hour)) * 24 * hour;
}

/**
 * The number of each year's tickets, as nextTicketNumber gives them in the order of filing: the
 * index of the year's first ticket, and the count of the year (its counter's last number). The
 * year is the filing day's (UTC 7–16 is the same date in Warsaw).
 */
function numbering(timing: Timing): Map<number, { first: number; count: number }> {
  const years = new Map<number, { first: number; count: number }>();
  for (let index = 0; index < timing.count; index += 1) {
    const year = new Date(dayStartOf(index, timing)).getUTCFullYear();
    const known = years.get(year);
    if (known) known.count += 1;
    else years.set(year, { first: index, count: 1 });
  }
  return years;
}

/**
 * The tickets, spread over the customers (a random one each, active or not) and over two years,
 * numbered per year as nextTicketNumber numbers them (ticket_counters holds the last number of
 * each year), filed by one of the customer's clients through the portal or e-mail, or by staff;
 * the open ones assigned to the customer's caretaker (the office's queue when it has none), due two
 * weeks after filing, so those left open longer are overdue. Then the messages, client and staff
 * by turns, one in ten of staff's internal. The search columns fill themselves (FULLTEXT indexes
 * on MySQL, the FTS5 triggers of migration 20261201_2400 on SQLite). On MySQL the tickets go in
 * two lanes side by side (the server works each on a core of its own).
 */
export async function seedTickets(writer: Writer, frame: TenantFrame, customers: readonly SeededCustomer[], context: { count: number; nowMs: number; seed: number }): Promise<void> {
  const years = numbering(context);
  // Lanes only where a statement's ids are consecutive: with interleaved auto-increment (MySQL 8's
  // innodb_autoinc_lock_mode=2) two lanes of one tenant would read back each other's ids.
  const lanes = writer.isMysql && writer.idsAreConsecutive ? 2 : 1;
  const laneSize = Math.ceil(context.count / lanes);
  await Promise.all(
    Array.from({ length: lanes }, (_, lane) => seedTicketLane(writer, frame, customers, { ...context, seed: context.seed + lane, years, from: lane * laneSize, to: Math.min(context.count, (lane + 1) * laneSize) })),
  );
  await inTransaction(writer, (insert) => insert('ticket_counters', ['year', 'last_sequence'], [...years].map(([year, { count }]) => [year, count])));
  writer.progress.finish('tickets');
  writer.progress.finish('ticket_messages');
}

type Lane = Timing & { seed: number; years: Map<number, { first: number; count: number }>; from: number; to: number };

async function seedTicketLane(writer: Writer, frame: TenantFrame, customers: readonly SeededCustomer[], lane: Lane): Promise<void> {
  const random = randomSource(lane.seed);
  for (let start = lane.from; start < lane.to; start += ticketsPerTransaction) {
    const end = Math.min(lane.to, start + ticketsPerTransaction);
    const tickets: Array<{ row: Row; messages: Row[] }> = [];
    for (let index = start; index < end; index += 1) tickets.push(ticketOf(random, index, frame, customers, lane));
    await inTransaction(writer, async (insert) => {
      const ids = await insert('tickets', ticketColumns, tickets.map((ticket) => ticket.row));
      const messages = tickets.flatMap((ticket, offset) => ticket.messages.map((message) => [ids[offset], ...message]));
      await insert('ticket_messages', messageColumns, messages);
    });
  }
}

function ticketOf(random: Random, index: number, frame: TenantFrame, customers: readonly SeededCustomer[], lane: Lane): { row: Row; messages: Row[] } {
  const dayStart = dayStartOf(index, lane);
  const day = Math.round((lane.nowMs - dayStart) / (24 * hour));
  // In working hours, never after now (nor before the day began).
  const createdMs = Math.max(dayStart, Math.min(dayStart + between(random, 7, 15) * hour + between(random, 0, 3_599) * 1000, lane.nowMs - hour));
  const year = new Date(dayStart).getUTCFullYear();
  const sequence = index - lane.years.get(year)!.first + 1;
  const customer = customers[Math.floor(random() * customers.length)]!;
  const client = customer.clientIds.length > 0 ? pick(random, customer.clientIds) : null;
  const staffId = customer.caretakerId ?? frame.adminId;
  const status = statusOf(random, day);
  const isActive = ['new', 'open', 'in_progress', 'waiting_for_customer'].includes(status);
  const count = messageCountOf(random, index);
  const messages: Row[] = [];
  let lastMs = createdMs;
  for (let number = 0; number < count; number += 1) {
    lastMs = Math.min(lane.nowMs, lastMs + between(random, 1, 30) * hour);
    const isClients = client !== null && number % 2 === 1;
    messages.push([isClients ? client : staffId, replyFrom(random), !isClients && random() < 0.1, toDatabaseTime(new Date(lastMs))]);
  }
  const [title, description] = ticketSubjectFrom(random);
  const source = client === null ? 'staff' : random() < 0.85 ? 'portal' : 'email';
  const assignee = isActive ? customer.caretakerId : staffId;
  const row: Row = [
    year, sequence, customer.id, client ?? staffId, source, pick(random, frame.categoryIds), title, description, status, priorityOf(random), assignee,
    toDatabaseTime(new Date(createdMs + 14 * 24 * hour)).slice(0, 10), status === 'new' ? 1 : 3, ['resolved', 'closed'].includes(status) ? toDatabaseTime(new Date(lastMs)) : null,
    toDatabaseTime(new Date(createdMs)), toDatabaseTime(new Date(lastMs)),
  ];
  return { row, messages };
}
