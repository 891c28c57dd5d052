/**
 * Times are stored as UTC text 'YYYY-MM-DD HH:MM:SS' in DATETIME columns: the same string
 * on SQLite and on MySQL (read with dateStrings), compared and sorted as text.
 */
export function toDatabaseTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function fromDatabaseTime(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  return new Date(`${value.replace(' ', 'T')}Z`);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** One Intl format per language, zone and style: building one is the slow part of formatting. */
function dateFormat(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const intlLocale = locale === 'pl' ? 'pl-PL' : 'en-GB';
  const key = `${intlLocale}|${timeZone}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale, { ...options, timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

/**
 * How each language writes a day: Poles write 1.12.2026 (Intl's medium style gives "1 gru 2026", an
 * abbreviation nobody writes by hand), the English 1 Dec 2026 (01/12/2026 reads as January in America).
 */
const dayOptions: Record<string, Intl.DateTimeFormatOptions> = {
  pl: { day: 'numeric', month: '2-digit', year: 'numeric' },
  en: { day: 'numeric', month: 'short', year: 'numeric' },
};
const timeOptions: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

function dayOptionsOf(locale: string): Intl.DateTimeFormatOptions {
  return dayOptions[locale] ?? dayOptions.en!;
}

/** Formats a moment for people, in the tenant's time zone and the reader's language: 1.12.2026, 14:05 / 1 Dec 2026, 14:05. */
export function formatDateTime(date: Date, locale: string, timeZone: string): string {
  return dateFormat(locale, timeZone, { ...dayOptionsOf(locale), ...timeOptions }).format(date);
}

/** The day of a moment for people: the day it was in the tenant's time zone (23:30 UTC is already tomorrow in Warsaw). */
export function formatDate(date: Date, locale: string, timeZone: string): string {
  return dateFormat(locale, timeZone, dayOptionsOf(locale)).format(date);
}

/** A day with no time and no zone ('2026-03-01': a setting, a due date) is the same day everywhere. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  // Date.parse takes 2026-02-30 for 2 March; a real day comes back as itself.
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/** A calendar date for people, never moved by a time zone. */
export function formatCalendarDate(isoDate: string, locale: string): string {
  return formatDate(new Date(`${isoDate}T00:00:00Z`), locale, 'UTC');
}

/** The day of a moment in a time zone as 'YYYY-MM-DD', the machine form of a shown day (<time datetime>). */
export function calendarDateIn(date: Date, timeZone: string): string {
  const parts = dateFormat('en', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/**
 * A moment to the second, for records whose order within a minute matters (the audit log):
 * "1.12.2026, 14:05:07" in Polish, "1 Dec 2026, 14:05:07" in English, in the tenant's time zone.
 */
export function formatDateTimeToSecond(date: Date, locale: string, timeZone: string): string {
  const day = locale === 'pl' ? { day: 'numeric', month: 'numeric', year: 'numeric' } : { day: 'numeric', month: 'short', year: 'numeric' };
  return dateFormat(locale, timeZone, { ...day, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' } as Intl.DateTimeFormatOptions).format(date);
}

/** How far the zone's wall clock is ahead of UTC at a moment, in milliseconds. */
function offsetAt(milliseconds: number, timeZone: string): number {
  const parts = dateFormat('en', timeZone, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' })
    .formatToParts(new Date(milliseconds));
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)!.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - (milliseconds - (milliseconds % 1000));
}

/**
 * The first moment of a calendar day ('2026-12-01') in a time zone: midnight there, as a Date. A
 * filter "from 1.12 to 3.12" means the tenant's days, not UTC's.
 */
export function startOfDayIn(isoDate: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${isoDate}T00:00:00Z`);
  const first = midnightUtc - offsetAt(midnightUtc, timeZone);
  // Once more from the first guess, in case a change of summer time lies between the two.
  return new Date(midnightUtc - offsetAt(first, timeZone));
}

/** The calendar day after a calendar day ('2026-12-31' → '2027-01-01'). */
export function nextCalendarDate(isoDate: string): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** A calendar day some days later ('2026-12-20' + 14 → '2027-01-03'): an invoice's due date from its payment term. */
export function calendarDatePlusDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The wall-clock time of a moment in a time zone as 'HH:MM' (a preferred hour may not be in the past). */
export function clockTimeIn(date: Date, timeZone: string): string {
  const parts = dateFormat('en', timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)!.value;
  return `${part('hour')}:${part('minute')}`;
}

/** A wall-clock moment of a time zone as a form's date-time field holds it ('2026-12-01T14:05'), for a Date. */
export function localDateTimeIn(date: Date, timeZone: string): string {
  return `${calendarDateIn(date, timeZone)}T${clockTimeIn(date, timeZone)}`;
}

/**
 * The moment a date-time field ('2026-12-01T14:05') names in a time zone, or null for text that is no
 * such moment (a 30 February, 25:00). The tenant's wall clock, as people type it.
 */
export function momentIn(localDateTime: string, timeZone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(localDateTime);
  if (!match || !isCalendarDate(match[1]) || Number(match[2]) > 23 || Number(match[3]) > 59) return null;
  const wall = Date.parse(`${match[1]}T${match[2]}:${match[3]}:00Z`);
  const first = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(first, timeZone));
}
