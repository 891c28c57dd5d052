import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvFileError, openCsv, type CsvRow } from '../../src/lib/csv-reading.js';

async function rowsOf(file: { rows: AsyncIterable<CsvRow> }): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of file.rows) rows.push(row);
  return rows;
}

/** Windows-1250 bytes of a text (the letters this test uses). */
function windows1250(text: string): Buffer {
  const table: Record<string, number> = { ą: 0xb9, ę: 0xea, ł: 0xb3, ń: 0xf1, ó: 0xf3, ś: 0x9c, ź: 0x9f, ż: 0xbf, Ł: 0xa3, Ż: 0xaf };
  return Buffer.from(Array.from(text).map((character) => table[character] ?? character.charCodeAt(0)));
}

describe('reading a CSV file from an accounting system', () => {
  it('reads semicolons in UTF-8 with a byte order mark, the header in any case, each row with its line', async () => {
    const file = await openCsv(Readable.from([Buffer.from('\uFEFFNumer;Nazwa;Kwota\r\nK/1;Łąka sp. z o.o.;"1 234,56"\r\n\r\nK/2;Żuraw;10\r\n')]));
    expect(file).toMatchObject({ encoding: 'utf-8', delimiter: ';', columns: ['numer', 'nazwa', 'kwota'] });
    expect(await rowsOf(file)).toEqual([
      { line: 2, values: { numer: 'K/1', nazwa: 'Łąka sp. z o.o.', kwota: '1 234,56' } },
      { line: 4, values: { numer: 'K/2', nazwa: 'Żuraw', kwota: '10' } },
    ]);
  });

  it('tells Windows-1250 from UTF-8 by the bytes and reads its Polish letters', async () => {
    const file = await openCsv(Readable.from([windows1250('numer;nazwa\nK/1;Zakład Łódź\nK/2;Żółw\n')]));
    expect(file.encoding).toBe('windows-1250');
    expect((await rowsOf(file)).map((row) => row.values.nazwa)).toEqual(['Zakład Łódź', 'Żółw']);
  });

  it('reads commas, a quoted value spanning lines, and a character cut between two chunks', async () => {
    const bytes = Buffer.from('id,note\n1,"first line\nsecond line"\n2,żółć\n');
    const cut = bytes.indexOf(Buffer.from('ż')) + 1;
    const file = await openCsv(Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]));
    expect(file.delimiter).toBe(',');
    expect(await rowsOf(file)).toEqual([
      { line: 2, values: { id: '1', note: 'first line\nsecond line' } },
      { line: 4, values: { id: '2', note: 'żółć' } },
    ]);
  });

  it('marks a row with too few or too many fields instead of stopping, so a dry run can list it', async () => {
    const file = await openCsv(Readable.from(['a;b;c\n1;2;3\n4;5\n6;7;8;9\n']));
    const rows = await rowsOf(file);
    expect(rows.map((row) => [row.line, row.fieldCountMismatch ?? null])).toEqual([
      [2, null],
      [3, { expected: 3, found: 2 }],
      [4, { expected: 3, found: 4 }],
    ]);
    expect(rows[1]!.values).toEqual({ a: '4', b: '5', c: '' });
  });

  it('refuses an empty file, a header with a repeated or empty name, an unclosed quote and broken UTF-8, each with its line', async () => {
    await expect(openCsv(Readable.from(['']))).rejects.toMatchObject({ reason: 'empty' });
    await expect(openCsv(Readable.from(['id;Id\n1;2\n']))).rejects.toMatchObject({ reason: 'header', line: 1 });
    await expect(openCsv(Readable.from(['id;;x\n1;2;3\n']))).rejects.toMatchObject({ reason: 'header' });
    // A small file is parsed whole at once, so its quote error may come on opening or on reading.
    const readAll = async (input: Readable) => rowsOf(await openCsv(input));
    await expect(readAll(Readable.from(['id;name\n1;ok\n2;"never closed\n3;x\n']))).rejects.toMatchObject({ reason: 'quotes', line: 4 });
    await expect(readAll(Readable.from(['id;name\n1;ok\n2;"never closed\n3;x\n']))).rejects.toBeInstanceOf(CsvFileError);
    // Valid UTF-8 for the first 64 KiB (so taken as UTF-8), then a byte no UTF-8 file has.
    const longStart = `id;name\n${'1;abc\n'.repeat(12_000)}`;
    await expect(readAll(Readable.from([Buffer.from(longStart), Buffer.from([0x32, 0x3b, 0xb9, 0x0a])]))).rejects.toMatchObject({ reason: 'encoding', line: 12_002 });
  });

  it('streams a file of 100,000 rows a row at a time', async () => {
    async function* generated() {
      yield 'numer;kwota\n';
      for (let block = 0; block < 100; block += 1) {
        let text = '';
        for (let row = 0; row < 1000; row += 1) text += `K/${block * 1000 + row};${row},50\n`;
        yield text;
      }
    }
    const file = await openCsv(Readable.from(generated()));
    let count = 0;
    let last: CsvRow | undefined;
    for await (const row of file.rows) {
      count += 1;
      last = row;
    }
    expect(count).toBe(100_000);
    expect(last).toEqual({ line: 100_001, values: { numer: 'K/99999', kwota: '999,50' } });
  });
});
