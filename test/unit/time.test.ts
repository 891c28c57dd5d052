import { describe, expect, it } from 'vitest';
import { calendarDateIn, formatCalendarDate, formatDate, formatDateTime, isCalendarDate } from '../../src/lib/time.js';

// 23:30 UTC on 2 March is 00:30 on 3 March in Warsaw (UTC+1 in winter).
const lateEvening = new Date('2026-03-02T23:30:00Z');

describe('formatting dates', () => {
  it('gives the day a moment was in the tenant’s time zone, not in UTC', () => {
    expect(formatDate(lateEvening, 'pl', 'Europe/Warsaw')).toBe('3.03.2026');
    expect(formatDate(lateEvening, 'en', 'Europe/Warsaw')).toBe('3 Mar 2026');
    expect(formatDate(lateEvening, 'en', 'UTC')).toBe('2 Mar 2026');
  });

  it('gives the day and time in the tenant’s time zone, summer time included', () => {
    expect(formatDateTime(lateEvening, 'pl', 'Europe/Warsaw')).toBe('3.03.2026, 00:30');
    expect(formatDateTime(lateEvening, 'en', 'Europe/Warsaw')).toBe('3 Mar 2026, 00:30');
    expect(formatDateTime(new Date('2026-07-02T10:05:00Z'), 'pl', 'Europe/Warsaw')).toBe('2.07.2026, 12:05');
  });

  it('writes days as Poles write them by hand (1.12.2026), never with an abbreviated month', () => {
    const firstOfDecember = new Date('2026-12-01T13:05:00Z');
    expect(formatDate(firstOfDecember, 'pl', 'Europe/Warsaw')).toBe('1.12.2026');
    expect(formatDateTime(firstOfDecember, 'pl', 'Europe/Warsaw')).toBe('1.12.2026, 14:05');
    expect(formatDateTime(new Date('2026-12-01T08:05:00Z'), 'pl', 'Europe/Warsaw')).toBe('1.12.2026, 09:05');
    expect(formatDate(firstOfDecember, 'en', 'Europe/Warsaw')).toBe('1 Dec 2026');
    expect(formatDateTime(firstOfDecember, 'en', 'Europe/Warsaw')).toBe('1 Dec 2026, 14:05');
    expect(formatCalendarDate('2026-12-31', 'pl')).toBe('31.12.2026');
  });

  it('writes the day of a moment in a zone as YYYY-MM-DD for machines', () => {
    expect(calendarDateIn(lateEvening, 'Europe/Warsaw')).toBe('2026-03-03');
    expect(calendarDateIn(lateEvening, 'America/New_York')).toBe('2026-03-02');
  });

  it('never moves a calendar date by a time zone', () => {
    expect(formatCalendarDate('2026-03-01', 'pl')).toBe('1.03.2026');
    expect(formatCalendarDate('2026-03-01', 'en')).toBe('1 Mar 2026');
  });

  it('takes only real days as calendar dates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    for (const value of ['2026-02-30', '2026-13-01', '2026-2-3', '2026-03-01 10:00:00', '', null, 20260301]) expect(isCalendarDate(value), String(value)).toBe(false);
  });
});
