import { describe, expect, it } from 'vitest';
import { decodeSetting, encodeSetting } from '../../src/models/setting-registry.js';
import { defaultPortlets, portletIds, portletListSchema } from '../../src/models/portlet-registry.js';
import { parseGroupPortlets } from '../../src/validators/group-portlets.js';
import { periodRange } from '../../src/models/report-period.js';

describe('the portlet registry (P1, P2)', () => {
  it('has the portlets of the issue, the two forms without settings, and gives a group without its own set the everyday ones, no report', () => {
    expect(portletIds).toEqual(['balance', 'dues', 'latestTickets', 'addTicket', 'addDocument', 'announcements', 'settlementsReport', 'agingReport', 'paymentsReport', 'pricingReport']);
    expect(defaultPortlets.map((choice) => choice.id)).toEqual(['balance', 'dues', 'latestTickets', 'addTicket', 'addDocument', 'announcements']);
    expect(defaultPortlets.find((choice) => choice.id === 'announcements')).toEqual({ id: 'announcements', settings: { limit: 5 } });
    expect(defaultPortlets.find((choice) => choice.id === 'addTicket')).toEqual({ id: 'addTicket', settings: {} });
    expect(defaultPortlets.find((choice) => choice.id === 'dues')).toEqual({ id: 'dues', settings: { limit: 4 } });
  });

  it('accepts a list of known portlets with settings their schemas accept, and nothing else', () => {
    expect(portletListSchema.safeParse([{ id: 'dues', settings: { limit: 3 } }, { id: 'balance', settings: {} }]).success).toBe(true);
    expect(portletListSchema.safeParse([]).success).toBe(true);
    expect(portletListSchema.safeParse([{ id: 'balance', settings: {} }, { id: 'balance', settings: {} }]).success).toBe(false);
    expect(portletListSchema.safeParse([{ id: 'aging', settings: {} }]).success).toBe(false);
    expect(portletListSchema.safeParse([{ id: 'dues', settings: { limit: 0 } }]).success).toBe(false);
    expect(portletListSchema.safeParse([{ id: 'dues', settings: { limit: 3, columns: ['x'] } }]).success).toBe(false);
    expect(portletListSchema.safeParse([{ id: 'addTicket', settings: { limit: 3 } }]).success).toBe(false);
  });

  it('checks a report’s settings: a period (a range not backwards), known columns each once, rows and an order', () => {
    const report = (settings: Record<string, unknown>) => portletListSchema.safeParse([{ id: 'paymentsReport', settings: { period: { kind: 'lastMonths', months: 3 }, columns: ['paidOn', 'amount'], limit: 5, sort: 'newest', ...settings } }]).success;
    expect(report({})).toBe(true);
    expect(report({ period: { kind: 'range', from: '2026-01-01', to: '2026-03-31' } })).toBe(true);
    expect(report({ period: { kind: 'range', from: '2026-03-31', to: '2026-01-01' } })).toBe(false);
    expect(report({ period: { kind: 'range', from: '2026-02-30', to: '2026-03-31' } })).toBe(false);
    expect(report({ period: { kind: 'lastMonths', months: 0 } })).toBe(false);
    expect(report({ columns: [] })).toBe(false);
    expect(report({ columns: ['paidOn', 'paidOn'] })).toBe(false);
    expect(report({ columns: ['secret'] })).toBe(false);
    expect(report({ limit: -1 })).toBe(false);
    expect(report({ sort: 'random' })).toBe(false);
  });
});

describe('the period of a report', () => {
  it('is whole calendar months back from the tenant’s today, the year from January, or the range as given', () => {
    expect(periodRange({ kind: 'thisMonth' }, '2026-12-01')).toEqual({ from: '2026-12-01', to: '2026-12-01' });
    expect(periodRange({ kind: 'lastMonths', months: 3 }, '2026-12-01')).toEqual({ from: '2026-10-01', to: '2026-12-01' });
    expect(periodRange({ kind: 'lastMonths', months: 3 }, '2026-02-15')).toEqual({ from: '2025-12-01', to: '2026-02-15' });
    expect(periodRange({ kind: 'thisYear' }, '2026-02-15')).toEqual({ from: '2026-01-01', to: '2026-02-15' });
    expect(periodRange({ kind: 'range', from: '2025-01-01', to: '2025-06-30' }, '2026-02-15')).toEqual({ from: '2025-01-01', to: '2025-06-30' });
  });

  it('is stored as JSON and read back; a stored list the registry no longer accepts counts as not set', () => {
    const list = [{ id: 'latestTickets', settings: { limit: 2 } }];
    expect(decodeSetting('portal.portlets', encodeSetting('portal.portlets', list))).toEqual({ isValid: true, value: list });
    expect(decodeSetting('portal.portlets', '[{"id":"removedPortlet","settings":{}}]')).toEqual({ isValid: false });
  });
});

describe('the group portlets form', () => {
  it('orders the ticked portlets by their places and leaves out the others', () => {
    const parsed = parseGroupPortlets({ mode: 'own', shown_balance: 'on', position_balance: '2', shown_dues: 'on', position_dues: '1', limit_dues: '7', position_latestTickets: '3', limit_latestTickets: 'x' });
    expect(parsed).toEqual({ ok: true, data: [{ id: 'dues', settings: { limit: 7 } }, { id: 'balance', settings: {} }] });
  });

  it('says inherit with null, and refuses a place taken twice, a place out of range and a bad limit', () => {
    expect(parseGroupPortlets({ mode: 'inherit', shown_balance: 'on' })).toEqual({ ok: true, data: null });
    const refused = parseGroupPortlets({ mode: 'own', shown_balance: 'on', position_balance: '1', shown_dues: 'on', position_dues: '1', limit_dues: '3', shown_latestTickets: 'on', position_latestTickets: '0', limit_latestTickets: '2.5' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(Object.keys(refused.errors).sort()).toEqual(['limit_latestTickets', 'position_dues', 'position_latestTickets']);
    expect(parseGroupPortlets({}).ok).toBe(false);
  });
});
