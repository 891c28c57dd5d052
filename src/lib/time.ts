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
