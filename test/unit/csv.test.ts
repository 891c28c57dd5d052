import { describe, expect, it } from 'vitest';
import { csvLine, csvNumber, csvStart } from '../../src/lib/csv.js';

describe('CSV lines', () => {
  it('quotes a value holding the separator, a quote or a line break, and doubles its quotes', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', 'semi;colon'])).toBe('plain,"a,b","say ""hi""","two\nlines",semi;colon\r\n');
    expect(csvLine(['a,b', 'semi;colon'], ';')).toBe('a,b;"semi;colon"\r\n');
  });

  it('writes numbers as they are and nothing as an empty value', () => {
    expect(csvLine([12, null, undefined, ''])).toBe('12,,,\r\n');
  });

  it('makes a value that a spreadsheet would run as a formula plain text', () => {
    expect(csvLine(['=HYPERLINK("http://evil")', '+48 600', '-1', '@SUM(A1)', '\tx'])).toBe(`"'=HYPERLINK(""http://evil"")",'+48 600,'-1,'@SUM(A1),'\tx\r\n`);
  });

  it('starts a file with the byte order mark Excel needs to read UTF-8', () => {
    expect(csvStart).toBe('\uFEFF');
  });
});

describe('CSV number cells', () => {
  it('writes a negative amount as a number, never behind the apostrophe of a formula escape', () => {
    expect(csvLine([csvNumber('-1234,56'), csvNumber('0.50'), '-1234,56'], ';')).toBe("-1234,56;0.50;'-1234,56\r\n");
  });

  it('quotes a number whose decimal mark is the separator', () => {
    expect(csvLine([csvNumber('12,50')], ',')).toBe('"12,50"\r\n');
  });

  it('refuses text that is not a plain number, so nothing else passes unescaped', () => {
    for (const text of ['=1+1', '-1+2', '1 234,56', '', '+5', '1,2,3', '-', '@1']) expect(() => csvNumber(text), text).toThrow(RangeError);
  });
});
