import { describe, expect, it } from 'vitest';
import { agingBucketOf, agingBuckets, agingDueDateRanges, daysBefore, daysFrom } from '../../src/lib/aging.js';

describe('aging buckets (M9)', () => {
  it('puts each edge day in its bucket: 0 current, 1 and 30 in 1–30, 31 and 60 in 31–60, 61 and 90 in 61–90, 91 over 90', () => {
    const cases: Array<[number, string]> = [
      [-5, 'current'],
      [0, 'current'],
      [1, 'days1to30'],
      [30, 'days1to30'],
      [31, 'days31to60'],
      [60, 'days31to60'],
      [61, 'days61to90'],
      [90, 'days61to90'],
      [91, 'over90'],
      [400, 'over90'],
    ];
    expect(cases.map(([days]) => [days, agingBucketOf(days)])).toEqual(cases);
  });

  it('counts whole calendar days, across a month end, a leap day and a change of summer time', () => {
    expect(daysFrom('2026-12-01', '2026-12-31')).toBe(30);
    expect(daysFrom('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysFrom('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysFrom('2026-12-05', '2026-12-01')).toBe(-4);
    expect(daysBefore('2027-01-01', 1)).toBe('2026-12-31');
  });

  it('gives due-date ranges that hold exactly the days the bucket function gives, edges included', () => {
    const day = '2026-12-01';
    const ranges = agingDueDateRanges(day);
    for (let days = -3; days <= 120; days += 1) {
      const dueDate = daysBefore(day, days);
      const holding = agingBuckets.filter((bucket) => {
        const { dueFrom, dueTo } = ranges[bucket];
        return (dueFrom === null || dueDate >= dueFrom) && (dueTo === null || dueDate <= dueTo);
      });
      expect(holding, `${days} days overdue`).toEqual([agingBucketOf(days)]);
    }
  });
});
