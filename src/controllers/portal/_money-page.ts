import type { Request } from 'express';
import { currentUserOf, scopeOf, tenantOf } from '../../middleware/context.js';
import { NotFoundError } from '../../lib/errors.js';
import { calendarDateIn } from '../../lib/time.js';

/**
 * The customer of the signed-in client and the tenant's calendar day, for the money pages. The
 * customer is always the account's own: nothing in the address can name another (M2).
 */
export function clientMoneyContext(req: Request): { customerId: number; today: string } {
  const customerId = currentUserOf(req).customerId;
  if (!customerId) throw new NotFoundError('this client account has no customer');
  return { customerId, today: calendarDateIn(scopeOf(req).now(), tenantOf(req).timeZone) };
}

/** Months the chart shows at most; a longer filtered period shows its last ones. */
export const chartMonthsAtMost = 24;

/**
 * The months of the chart ('YYYY-MM'): those of the filtered period, else the twelve up to this
 * month; a period longer than the chart takes shows its last months.
 */
export function chartPeriodOf(filter: { from?: string; to?: string }, today: string): { first: string; last: string; isShortened: boolean } {
  const last = (filter.to ?? (filter.from && filter.from > today ? filter.from : today)).slice(0, 7);
  const earliest = monthsBefore(last, chartMonthsAtMost - 1);
  const wanted = filter.from ? filter.from.slice(0, 7) : monthsBefore(last, 11);
  return wanted < earliest ? { first: earliest, last, isShortened: true } : { first: wanted, last, isShortened: false };
}

function monthsBefore(month: string, count: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (number - 1) - count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
