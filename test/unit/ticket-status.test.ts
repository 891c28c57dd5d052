import { describe, expect, it } from 'vitest';
import { canMove, movesFrom, ticketStatuses, type TicketMover, type TicketStatus } from '../../src/models/ticket-status.js';
import { can, type TicketAction } from '../../src/policies/ticket.js';
import type { Actor } from '../../src/db/scope.js';

/** The whole table as it should be: from → mover → allowed targets. Anything not listed is refused. */
const expected: Record<TicketStatus, Partial<Record<TicketMover, TicketStatus[]>>> = {
  new: { staff: ['open', 'in_progress', 'waiting_for_customer', 'resolved', 'closed', 'rejected'] },
  awaiting_approval: { approver: ['new', 'rejected'] },
  open: { staff: ['in_progress', 'waiting_for_customer', 'resolved', 'closed', 'rejected'] },
  in_progress: { staff: ['open', 'waiting_for_customer', 'resolved', 'closed'] },
  waiting_for_customer: { staff: ['open', 'in_progress', 'resolved', 'closed'], client: ['open'] },
  resolved: { staff: ['open', 'in_progress', 'closed'], client: ['open', 'closed'] },
  closed: { staff: ['open'] },
  rejected: { staff: ['open'] },
};
const movers: TicketMover[] = ['staff', 'client', 'approver'];

describe('the table of status moves', () => {
  for (const from of ticketStatuses) {
    for (const mover of movers) {
      for (const to of ticketStatuses) {
        const isAllowed = expected[from][mover]?.includes(to) ?? false;
        it(`${isAllowed ? 'lets' : 'refuses'} ${mover} move a ticket from ${from} to ${to}`, () => {
          expect(canMove(mover, from, to)).toBe(isAllowed);
        });
      }
    }
  }

  it('never lets a client touch a ticket awaiting approval, new, open or in progress', () => {
    for (const from of ['awaiting_approval', 'new', 'open', 'in_progress'] as const) expect(movesFrom('client', from)).toEqual([]);
  });
});

describe('the ticket policy', () => {
  const ticket = { tenantId: 1, customerId: 10, assigneeId: 5, status: 'open' };
  const queued = { ...ticket, assigneeId: null };
  const user = (role: 'client' | 'caretaker' | 'admin' | 'superadmin', id = 5, customerId: number | null = null): Actor => ({ kind: 'user', id, tenantId: 1, role, customerId });
  const approver = (customerId: number): Actor => ({ kind: 'user', id: 30, tenantId: 1, role: 'client', customerId, isApprover: true });
  const awaiting = { ...ticket, assigneeId: null, status: 'awaiting_approval' };
  const cases: Array<[string, Actor, typeof ticket | typeof queued, TicketAction, boolean]> = [
    ['its caretaker works it', user('caretaker', 5), ticket, 'work', true],
    ['another caretaker may not work it', user('caretaker', 6), ticket, 'work', false],
    ['another caretaker may read it', user('caretaker', 6), ticket, 'view', true],
    ['a caretaker takes a queued ticket', user('caretaker', 6), queued, 'take', true],
    ['a caretaker cannot take an assigned one', user('caretaker', 6), ticket, 'take', false],
    ['a caretaker cannot assign', user('caretaker', 5), ticket, 'assign', false],
    ['an admin assigns', user('admin', 1), ticket, 'assign', true],
    ['an admin works any ticket', user('admin', 1), ticket, 'work', true],
    ['a superadmin works any ticket', user('superadmin', 1), ticket, 'work', true],
    ['staff do not reply as a client', user('admin', 1), ticket, 'reply', false],
    ['the client replies', user('client', 20, 10), ticket, 'reply', true],
    ['the client reads', user('client', 20, 10), ticket, 'view', true],
    ['the client does not work it', user('client', 20, 10), ticket, 'work', false],
    ['a client of another customer does nothing', user('client', 21, 11), ticket, 'view', false],
    ['a user of another tenant does nothing', { kind: 'user', id: 1, tenantId: 2, role: 'admin', customerId: null }, ticket, 'view', false],
    ['a visitor does nothing', { kind: 'visitor' }, ticket, 'view', false],
    ['an approver of the customer approves its tickets', approver(10), awaiting, 'approve', true],
    ['an approver of another customer does not', approver(11), awaiting, 'approve', false],
    ['a client who is not an approver does not approve', user('client', 20, 10), awaiting, 'approve', false],
    ['an admin approves on the customer’s behalf', user('admin', 1), awaiting, 'approve', true],
    ['a caretaker does not approve', user('caretaker', 5), awaiting, 'approve', false],
    ['nobody works a ticket awaiting approval', user('admin', 1), awaiting, 'work', false],
    ['nobody assigns a ticket awaiting approval', user('admin', 1), awaiting, 'assign', false],
    ['nobody takes a ticket awaiting approval from the queue', user('caretaker', 6), awaiting, 'take', false],
  ];
  for (const [title, actor, subject, action, isAllowed] of cases) {
    it(`${title}`, () => expect(can(actor, action, subject)).toBe(isAllowed));
  }
});
