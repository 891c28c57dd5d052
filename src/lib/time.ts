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

/** Formats a moment for people, in the tenant's time zone and the reader's language. */
export function formatDateTime(date: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'pl' ? 'pl-PL' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(date);
}

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
