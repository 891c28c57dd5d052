import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../src/models/ticket-search.js';

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
});
