import { describe, expect, it } from 'vitest';
import type { UserActor } from '../../src/db/scope.js';
import { ticketStatuses } from '../../src/models/ticket-status.js';
import { can } from '../../src/policies/ticket.js';
import { costLineForm } from '../../src/validators/cost-line.js';
import { parseForm } from '../../src/validators/form.js';

const user = (role: UserActor['role'], overrides: Partial<UserActor> = {}): UserActor => ({ kind: 'user', id: 7, tenantId: 1, role, customerId: role === 'client' ? 3 : null, ...overrides });
const ticket = (status: string) => ({ tenantId: 1, customerId: 3, assigneeId: 9, status });

describe('who sees a ticket’s pricing', () => {
  it('lets its client see it only once the ticket is resolved or closed', () => {
    const seen = ticketStatuses.filter((status) => can(user('client'), 'viewPricing', ticket(status)));
    expect(seen).toEqual(['resolved', 'closed']);
  });

  it('never lets a client of another customer or another tenant see it', () => {
    expect(can(user('client', { customerId: 4 }), 'viewPricing', ticket('resolved'))).toBe(false);
    expect(can(user('admin', { tenantId: 2 }), 'viewPricing', ticket('resolved'))).toBe(false);
  });

  it('lets staff who see the ticket see it in every status, whoever handles it', () => {
    for (const status of ticketStatuses) {
      expect(can(user('caretaker'), 'viewPricing', ticket(status)), status).toBe(true);
      expect(can(user('admin'), 'viewPricing', ticket(status)), status).toBe(true);
    }
  });
});

describe('the cost-line form', () => {
  const parse = (fields: Record<string, string>) => parseForm(costLineForm('PLN'), { kind: 'labour', description: 'Praca', quantity: '1', unitPrice: '100', vatRate: '23', ...fields });

  it('reads hours to the hundredth and parts to the thousandth, exactly', () => {
    expect(parse({ quantity: '1,25' })).toMatchObject({ ok: true, data: { quantityThousandths: 1250, unitPriceMinor: 10000 } });
    expect(parse({ quantity: '1,255' })).toMatchObject({ ok: false, errors: { quantity: { key: 'pricing:errors.hours' } } });
    expect(parse({ kind: 'part', quantity: '0,125', unitPrice: '0,99' })).toMatchObject({ ok: true, data: { quantityThousandths: 125, unitPriceMinor: 99 } });
  });

  it('counts a fee without a quantity as one', () => {
    expect(parse({ kind: 'fee', quantity: '', unitPrice: '80' })).toMatchObject({ ok: true, data: { quantityThousandths: 1000, unitPriceMinor: 8000 } });
    expect(parse({ kind: 'part', quantity: '' })).toMatchObject({ ok: false, errors: { quantity: { key: 'validation:required' } } });
  });

  it('refuses a negative or too large amount, a zero quantity and a rate the tenant does not have, each on its own field', () => {
    const refused = parse({ quantity: '0', unitPrice: '-1', vatRate: '20' });
    expect(refused).toMatchObject({ ok: false, errors: { quantity: { key: 'pricing:errors.quantityRange' }, unitPrice: { key: 'pricing:errors.amount' }, vatRate: { key: 'pricing:errors.vatRate' } } });
    expect(parse({ unitPrice: '1000000,01' })).toMatchObject({ ok: false, errors: { unitPrice: { key: 'pricing:errors.amount' } } });
    expect(parse({ unitPrice: '1 000 000,00' })).toMatchObject({ ok: true, data: { unitPriceMinor: 100_000_000 } });
  });
});
