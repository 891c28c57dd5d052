import { describe, expect, it } from 'vitest';
import { ticketNumber } from '../../src/models/ticket.js';
import { ticketMailSubject, ticketMailTag, ticketNumberFromSubject } from '../../src/models/ticket-mail-tag.js';

describe('the tag of a ticket in e-mail subjects', () => {
  it('tags a ticket by its number as people say it', () => {
    expect(ticketMailTag(ticketNumber(2026, 123))).toBe('[#2026/000123]');
    expect(ticketMailSubject('2026/000123', 'Nie działa drukarka')).toBe('[#2026/000123] Nie działa drukarka');
  });

  it('keeps a subject on one line whatever the title holds', () => {
    expect(ticketMailSubject('2026/000007', '  Drukarka\r\nna   parterze \t')).toBe('[#2026/000007] Drukarka na parterze');
  });

  it('finds the ticket of its own subject again, behind any reply prefixes', () => {
    const subject = ticketMailSubject(ticketNumber(2026, 4512), 'Awaria [pilne]');
    for (const reply of [subject, `Re: ${subject}`, `Odp: RE: Fwd: ${subject}`, `AW: ${subject} (2)`]) {
      expect(ticketNumberFromSubject(reply), reply).toEqual({ year: 2026, sequence: 4512 });
    }
  });

  it('takes a tag typed without the zeros, and the first of several', () => {
    expect(ticketNumberFromSubject('Pytanie [#2026/123]')).toEqual({ year: 2026, sequence: 123 });
    expect(ticketNumberFromSubject('Re: [#2025/000009] stare, por. [#2026/000001]')).toEqual({ year: 2025, sequence: 9 });
  });

  it('finds no ticket where there is no tag, or only something like one', () => {
    for (const subject of ['', 'Nie działa drukarka', 'Zgłoszenie 2026/000123', '[2026/000123]', '#2026/000123', '[#26/000123]', '[#2026/]', '[#2026/000000]', '[#2026/0001234567890]']) {
      expect(ticketNumberFromSubject(subject), subject).toBeNull();
    }
  });
});
