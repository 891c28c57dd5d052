import { Readable, Transform, type TransformCallback } from 'node:stream';
import { CsvError, parse } from 'csv-parse';

/**
 * Reading the CSV files accounting systems export (M7): separated by semicolons (what Polish Excel
 * writes) or commas, in UTF-8 (with or without a byte order mark) or Windows-1250 (older Polish
 * systems), first line the column names. Read as a stream, a row at a time, each with the line it
 * came from, so that a file of 100,000 rows is never whole in memory and a dry run can name every
 * bad row by its line.
 */

export type CsvEncoding = 'utf-8' | 'windows-1250';
export type CsvDelimiter = ';' | ',';

/** One row: its values by column name (names as in the header, trimmed, in lower case) and where it was. */
export type CsvRow = {
  /** The line of the file the row starts on (the header is line 1). */
  line: number;
  values: Record<string, string>;
  /** Set when the row has more or fewer fields than the header names. */
  fieldCountMismatch?: { expected: number; found: number };
};

export type CsvFile = { encoding: CsvEncoding; delimiter: CsvDelimiter; columns: string[]; rows: AsyncIterable<CsvRow> };

/** A file that cannot be read as CSV at all (an unclosed quote, a broken encoding): at what line, and why. */
export class CsvFileError extends Error {
  constructor(
    readonly reason: 'encoding' | 'quotes' | 'empty' | 'header',
    readonly line: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'CsvFileError';
  }
}

/** How much of the file decides its encoding and separator. */
const sniffBytes = 64 * 1024;
const utf8Bom = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Opens a CSV file: reads its beginning to tell the encoding and the separator, reads the header,
 * and gives the rows as they come.
 * @throws CsvFileError for an empty file, a header with an empty or repeated name, or a file that breaks its
 *   encoding or its quotes — on opening or while the rows are read, as far as the parser has got (a small file is
 *   parsed whole at once)
 */
export async function openCsv(input: Readable | AsyncIterable<Buffer | string>): Promise<CsvFile> {
  const source = input instanceof Readable ? input : Readable.from(input);
  const { head, rest } = await peek(source, sniffBytes);
  const hasBom = head.subarray(0, 3).equals(utf8Bom);
  const encoding: CsvEncoding = hasBom || isUtf8Prefix(head) ? 'utf-8' : 'windows-1250';
  const headText = new TextDecoder(encoding).decode(hasBom ? head.subarray(3) : head);
  const firstLine = headText.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.trim() === '') throw new CsvFileError('empty', 1, 'the file is empty or its first line names no columns');
  const delimiter: CsvDelimiter = count(firstLine, ';') >= count(firstLine, ',') && count(firstLine, ';') > 0 ? ';' : ',';

  const decoded = Readable.from(chunksAfter(hasBom ? head.subarray(3) : head, rest)).pipe(decoderFor(encoding));
  const parser = decoded.pipe(parse({ delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: false }));
  decoded.on('error', (error) => parser.destroy(error));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;

  const header = await nextRecord(records);
  if (!header) throw new CsvFileError('empty', 1, 'the file has no header line');
  const columns = header.record.map((name) => name.trim().toLowerCase());
  const repeated = columns.find((name, index) => name === '' || columns.indexOf(name) !== index);
  if (repeated !== undefined) throw new CsvFileError('header', 1, repeated === '' ? 'a column of the header has no name' : `the column "${repeated}" is named twice`);

  async function* rows(): AsyncGenerator<CsvRow> {
    for (let entry = await nextRecord(records); entry; entry = await nextRecord(records)) {
      const values: Record<string, string> = {};
      columns.forEach((name, index) => (values[name] = entry!.record[index] ?? ''));
      const row: CsvRow = { line: entry.startLine, values };
      if (entry.record.length !== columns.length) row.fieldCountMismatch = { expected: columns.length, found: entry.record.length };
      yield row;
    }
  }
  return { encoding, delimiter, columns, rows: rows() };
}

/** The parser's next record with the line it started on, or null at the end; its errors as CsvFileError. */
async function nextRecord(records: AsyncIterator<{ record: string[]; info: { lines: number } }>): Promise<{ record: string[]; startLine: number } | null> {
  try {
    const next = await records.next();
    if (next.done) return null;
    const { record, info } = next.value;
    // info.lines is the line the record ended on; a quoted value may span lines.
    const spanned = record.reduce((lines, value) => lines + count(value, '\n'), 0);
    return { record, startLine: info.lines - spanned };
  } catch (error) {
    if (error instanceof CsvFileError) throw error;
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? null;
      throw new CsvFileError('quotes', line, `the file is not valid CSV at line ${line ?? '?'}: ${error.message}`);
    }
    throw error;
  }
}

/** Text chunks from bytes in the file's encoding; in UTF-8 an invalid sequence fails the read instead of becoming �. */
function decoderFor(encoding: CsvEncoding): Transform {
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  let line = 1;
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        line += count(text, '\n');
        done(null, text);
      } catch {
        done(new CsvFileError('encoding', line, `the file is not valid UTF-8 near line ${line}; save it as UTF-8 or Windows-1250 throughout`));
      }
    },
    flush(done: TransformCallback) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new CsvFileError('encoding', line, `the file ends in the middle of a UTF-8 character (line ${line})`));
      }
    },
  });
}

/** Whether bytes are UTF-8, allowing a character cut at the end of the sample. */
function isUtf8Prefix(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The first `size` bytes of a stream (or all of a shorter one), and the stream's iterator to read on from. */
async function peek(source: Readable, size: number): Promise<{ head: Buffer; rest: AsyncIterator<Buffer | string> }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    length += chunk.length;
  }
  return { head: Buffer.concat(chunks), rest: iterator };
}

async function* chunksAfter(head: Buffer, rest: AsyncIterator<Buffer | string>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
}

function count(text: string, character: string): number {
  let found = 0;
  for (let index = text.indexOf(character); index !== -1; index = text.indexOf(character, index + 1)) found += 1;
  return found;
}
