/**
 * The tag that names a ticket in an e-mail's subject (T9): `[#2026/000123]`. Notifications carry it,
 * and a reply that keeps it in its subject is added to that ticket (models/ticket-mail-intake.ts).
 */
export function ticketMailTag(number: string): string {
  return `[#${number}]`;
}

/** The ticket number of the first tag in a subject (2026/000123), or undefined without one. */
export function ticketNumberFromSubject(subject: string): string | undefined {
  const found = /\[#(\d{4}\/\d{6,})\]/.exec(subject);
  return found?.[1];
}
