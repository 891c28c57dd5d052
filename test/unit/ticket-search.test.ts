import { describe, expect, it } from 'vitest';
import { searchTerms, ticketNumberIn } from '../../src/models/ticket-search.js';

describe('the words of a ticket search', () => {
  it('keeps letters and digits in lower case, Polish letters included, each word once', () => {
    expect(searchTerms('  Żółta LAMPKA, żółta! 2026/000123 ')).toEqual(['żółta', 'lampka', '2026', '000123']);
  });

  it('drops every operator of the search languages', () => {
    expect(searchTerms('+router -"dioda" (burza)* ~a @3 <b> ‘x’')).toEqual(['router', 'dioda', 'burza']);
    expect(searchTerms('*** "" --')).toEqual([]);
  });

  it('leaves out short and common words while other words remain, and keeps them when they are all there is', () => {
    expect(searchTerms('the printer is on fire')).toEqual(['printer', 'fire']);
    expect(searchTerms('on')).toEqual(['on']);
    expect(searchTerms('dr')).toEqual(['dr']);
  });

  it('searches at most eight words', () => {
    expect(searchTerms('jeden dwa trzy cztery pięć sześć siedem osiem dziewięć dziesięć')).toHaveLength(8);
  });

  it('reads a ticket number as people say it, and nothing else as one', () => {
    expect(ticketNumberIn('2026/000123')).toEqual({ year: 2026, sequence: 123 });
    expect(ticketNumberIn(' 2026 / 45 ')).toEqual({ year: 2026, sequence: 45 });
    expect(ticketNumberIn('2026')).toBeNull();
    expect(ticketNumberIn('zgłoszenie 2026/000123')).toBeNull();
    expect(ticketNumberIn('26/000123')).toBeNull();
  });
});
