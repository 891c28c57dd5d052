import { describe, expect, it } from 'vitest';
import { csvLine, csvStart } from '../../src/lib/csv.js';

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
