/**
 * Aging of receivables (M9): what is still to pay of each invoice, by how many days it is overdue on
 * a day. An invoice due on that very day is not overdue yet (day 0 is current); the day after its due
 * date is day 1. The buckets are current, 1–30, 31–60, 61–90 and over 90 days.
 */
export const agingBuckets = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

/** The bucket of an invoice overdue by this many days (zero or less: not yet due). */
export function agingBucketOf(daysOverdue: number): AgingBucket {
  if (daysOverdue <= 0) return 'current';
  if (daysOverdue <= 30) return 'days1to30';
  if (daysOverdue <= 60) return 'days31to60';
  if (daysOverdue <= 90) return 'days61to90';
  return 'over90';
}

/** Whole days from one calendar day to another ('2026-12-01' to '2026-12-31' is 30). */
export function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A calendar day so many days before another. */
export function daysBefore(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The same buckets as ranges of due dates on `day`, for SQL (dates compare as text on both
 * databases): a bucket holds the invoices whose due date is on or after `dueFrom` (none: no lower
 * edge) and on or before `dueTo` (none: no upper edge). agingBucketOf(daysFrom(dueDate, day)) is the
 * bucket whose range holds dueDate; the unit tests hold the two together.
 */
export function agingDueDateRanges(day: string): Record<AgingBucket, { dueFrom: string | null; dueTo: string | null }> {
  return {
    current: { dueFrom: day, dueTo: null },
    days1to30: { dueFrom: daysBefore(day, 30), dueTo: daysBefore(day, 1) },
    days31to60: { dueFrom: daysBefore(day, 60), dueTo: daysBefore(day, 31) },
    days61to90: { dueFrom: daysBefore(day, 90), dueTo: daysBefore(day, 61) },
    over90: { dueFrom: null, dueTo: daysBefore(day, 91) },
  };
}
