import type { TFunction } from 'i18next';
import { formatMoney, toDecimalText, type MinorUnits } from '../lib/money.js';
import { calendarDateIn, formatCalendarDate, formatDate, formatDateTime, formatDateTimeToSecond, fromDatabaseTime, isCalendarDate } from '../lib/time.js';

/**
 * What every presenter gives and every output (the pages now; PDF, CSV and e-mail later) turns into
 * words with its own `t`: plain text as it is, or a message key with its values.
 */
export type Message = { key: string; values?: Record<string, unknown> };
export type Text = string | Message;

/** A message key with its values, for a presenter to return instead of words in one language. */
export function message(key: string, values?: Record<string, unknown>): Message {
  return values ? { key, values } : { key };
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';
}

/**
 * Text in the reader's words; a value that is itself a message ("now: on, by default") is translated
 * first, and a list of them is joined with commas ("Balance, Latest tickets").
 */
export function translate(t: TFunction, text: Text | number): string {
  if (!isMessage(text)) return String(text ?? '');
  // Without values, t's plain form (its text is kept after the first lookup: lib/i18n.ts).
  if (!text.values || Object.keys(text.values).length === 0) return String(t(text.key));
  const valueOf = (value: unknown): unknown => (isMessage(value) ? translate(t, value) : Array.isArray(value) ? value.map((item) => String(valueOf(item))).join(', ') : value);
  const values = Object.fromEntries(Object.entries(text.values).map(([name, value]) => [name, valueOf(value)]));
  return String(t(text.key, values));
}

/** A choice of a form's select or radio group: its value and what the reader sees. */
export type Choice = { value: string | number; label: Text };

/** Choices from a map of value → message key, in the map's order. */
export function choicesOf(labels: Record<string, string>): Choice[] {
  return Object.entries(labels).map(([value, key]) => ({ value, label: message(key) }));
}

/** How a state reads at a glance; a badge always says it in words too, never by colour alone. */
export type Tone = 'neutral' | 'waiting' | 'success' | 'danger' | 'info';
export type Status = { label: Text; tone: Tone };

/** A moment (a Date, or UTC text as stored) or a calendar date ('2026-03-01', no zone). */
export type TimeValue = Date | string | null | undefined;
/** A day, a day and time to the minute, or to the second (the audit log). */
export type TimeKind = 'date' | 'dateTime' | 'dateTimeToSecond';
/** A time as shown, with its machine form for <time datetime>. */
export type ShownTime = { datetime: string; text: string };
/** An amount as shown, with its exact decimal for <data value>. */
export type ShownMoney = { value: string; currency: string; text: string };

/** The formatting helpers for one reader: their language, and the tenant's time zone. */
export type Presentation = ReturnType<typeof presentationFor>;

export function presentationFor(t: TFunction, locale: string, timeZone: string) {
  const timeOf = (value: TimeValue, kind: TimeKind = 'dateTime'): ShownTime | null => shownTime(value, kind, locale, timeZone);
  return {
    textOf: (text: Text | number): string => translate(t, text),
    timeOf,
    formatDate: (value: TimeValue): string => timeOf(value, 'date')?.text ?? '',
    formatDateTime: (value: TimeValue): string => timeOf(value, 'dateTime')?.text ?? '',
    moneyOf: (minorUnits: MinorUnits | null | undefined, currency: string): ShownMoney | null =>
      minorUnits === null || minorUnits === undefined ? null : { value: toDecimalText(minorUnits, currency), currency, text: formatMoney(minorUnits, currency, locale) },
  };
}

/** UTC text as stored (src/lib/time.ts); anything else is not taken for a time. */
const storedTime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * A time for people: a moment in the tenant's zone (as a day, or a day and time), a calendar date as
 * it is. Nothing, or text that is no time, gives null: the page shows its "none" instead.
 */
export function shownTime(value: TimeValue, kind: TimeKind, locale: string, timeZone: string): ShownTime | null {
  if (value === null || value === undefined || value === '') return null;
  if (isCalendarDate(value)) return { datetime: value, text: formatCalendarDate(value, locale) };
  if (typeof value === 'string' && !storedTime.test(value)) return null;
  const moment = fromDatabaseTime(value);
  if (!moment || Number.isNaN(moment.getTime())) return null;
  if (kind === 'date') return { datetime: calendarDateIn(moment, timeZone), text: formatDate(moment, locale, timeZone) };
  const text = kind === 'dateTimeToSecond' ? formatDateTimeToSecond(moment, locale, timeZone) : formatDateTime(moment, locale, timeZone);
  return { datetime: moment.toISOString(), text };
}
