/**
 * The tag of a ticket in the subject of every e-mail about it (T9): `[#2026/000123]`, its number as
 * people say it. A reply by e-mail keeps the subject, so the tag found in it names the ticket the
 * reply belongs to. Both directions live here, so the messages sent and the ingestion of replies
 * cannot drift apart. (No imports: the ingestion and the notices both stand on it.)
 */
export type TicketNumberParts = { year: number; sequence: number };

const tagPattern = /\[#(\d{4})\/(\d{1,9})\]/;

/** `[#2026/000123]` for the ticket numbered 2026/000123 (ticket.ts `ticketNumber`). */
export function ticketMailTag(ticketNumber: string): string {
  return `[#${ticketNumber}]`;
}

/** The subject of an e-mail about a ticket: its tag, then its title on one line (`[#2026/000123] Nie działa drukarka`). */
export function ticketMailSubject(ticketNumber: string, title: string): string {
  return `${ticketMailTag(ticketNumber)} ${title.replace(/\s+/g, ' ').trim()}`;
}

/**
 * The ticket a subject names by its tag, wherever it stands (`Re: Odp: [#2026/000123] …`), the first
 * one when there are several; null when there is none. The sequence may come without its zeros (a
 * person typing `[#2026/123]`); a sequence of 0 is no ticket's.
 */
export function ticketNumberFromSubject(subject: string): TicketNumberParts | null {
  const match = tagPattern.exec(subject);
  if (!match) return null;
  const parts = { year: Number(match[1]), sequence: Number(match[2]) };
  return parts.sequence > 0 ? parts : null;
}
