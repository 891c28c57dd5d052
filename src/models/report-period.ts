import { z } from 'zod';
import { isCalendarDate } from '../lib/time.js';

/**
 * The period of a report portlet and its page (P2): this month, the last N months (this one and
 * the N − 1 before it, whole calendar months), this year, or a range of days. Worked out on the
 * tenant's today, so "this month" turns over at the tenant's midnight.
 */
const day = z.string().refine(isCalendarDate);
export const reportPeriodSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('thisMonth') }).strict(),
    z.object({ kind: z.literal('lastMonths'), months: z.coerce.number().int().min(1).max(36) }).strict(),
    z.object({ kind: z.literal('thisYear') }).strict(),
    z.object({ kind: z.literal('range'), from: day, to: day }).strict(),
  ])
  .refine((period) => period.kind !== 'range' || period.from <= period.to, { message: 'the range ends before it starts', path: ['to'] });

export type ReportPeriod = z.infer<typeof reportPeriodSchema>;
export const periodKinds = ['thisMonth', 'lastMonths', 'thisYear', 'range'] as const;

/** The first and last day of a period, as calendar dates (YYYY-MM-DD), on the tenant's `today`. */
export function periodRange(period: ReportPeriod, today: string): { from: string; to: string } {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const monthStart = (offset: number) => {
    const date = new Date(Date.UTC(year, month - 1 - offset, 1));
    return date.toISOString().slice(0, 10);
  };
  switch (period.kind) {
    case 'thisMonth':
      return { from: monthStart(0), to: today };
    case 'lastMonths':
      return { from: monthStart(period.months - 1), to: today };
    case 'thisYear':
      return { from: `${year}-01-01`, to: today };
    case 'range':
      return { from: period.from, to: period.to };
  }
}
