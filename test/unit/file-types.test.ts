import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { asciiFileName, attachmentDisposition, safeFileName } from '../../src/lib/file-names.js';
import { detectFileType, leadingBytesLength, typeByLeadingBytes } from '../../src/lib/file-types.js';

/** A zip of the given entries, as office suites write them: the first stored, the rest deflated. */
function zipOf(entries: Array<[string, string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  entries.forEach(([name, text], index) => {
    const content = Buffer.from(text);
    const isStored = index === 0;
    const data = isStored ? content : deflateRawSync(content);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(isStored ? 0 : 8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(isStored ? 0 : 8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  });
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const ooxml = (part: string): Array<[string, string]> => [['[Content_Types].xml', '<Types/>'], ['_rels/.rels', '<Relationships/>'], [part, '<x/>']];

describe('the type of a file, read from its content', () => {
  it('recognises PDF, PNG, JPEG, GIF and WebP by their first bytes, whatever the name', () => {
    expect(detectFileType(Buffer.from('%PDF-1.7\n'), 'scan.png')).toBe('pdf');
    expect(detectFileType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), 'a')).toBe('png');
    expect(detectFileType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'photo.pdf')).toBe('jpeg');
    expect(detectFileType(Buffer.from('GIF89a\x01\x00', 'latin1'), 'x')).toBe('gif');
    expect(detectFileType(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]), 'x')).toBe('webp');
  });

  it('decides a PDF or a picture from its first bytes alone, and leaves zips and text to the whole content', () => {
    const samples = [
      Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 0xff)]),
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4096, 0x01)]),
      Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(100)]),
    ];
    // What the upload reads of a file (its head) gives the same type as the whole content.
    for (const sample of samples) expect(typeByLeadingBytes(sample.subarray(0, leadingBytesLength))).toBe(detectFileType(sample, 'x'));
    expect(typeByLeadingBytes(zipOf(ooxml('word/document.xml')).subarray(0, leadingBytesLength))).toBeUndefined();
    expect(typeByLeadingBytes(Buffer.from('Zażółć gęślą jaźń'))).toBeUndefined();
    expect(typeByLeadingBytes(Buffer.from('%PD'))).toBeUndefined();
  });

  it('tells DOCX, XLSX, ODT and ODS apart by the entries of their zip', () => {
    expect(detectFileType(zipOf(ooxml('word/document.xml')), 'a.docx')).toBe('docx');
    expect(detectFileType(zipOf(ooxml('xl/workbook.xml')), 'a.xlsx')).toBe('xlsx');
    expect(detectFileType(zipOf([['mimetype', 'application/vnd.oasis.opendocument.text'], ['content.xml', '<x/>']]), 'a.odt')).toBe('odt');
    expect(detectFileType(zipOf([['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'], ['content.xml', '<x/>']]), 'a.ods')).toBe('ods');
  });

  it('refuses any other zip: a plain archive, a Java archive, a presentation, a document with macros', () => {
    expect(detectFileType(zipOf([['readme.txt', 'hello'], ['setup.exe', 'MZ']]), 'umowa.docx')).toBeUndefined();
    expect(detectFileType(zipOf([['META-INF/MANIFEST.MF', 'Main-Class: X'], ['X.class', 'cafebabe']]), 'a.docx')).toBeUndefined();
    expect(detectFileType(zipOf(ooxml('ppt/presentation.xml')), 'a.docx')).toBeUndefined();
    expect(detectFileType(zipOf([...ooxml('word/document.xml'), ['word/vbaProject.bin', 'macro']]), 'a.docx')).toBeUndefined();
    // OpenDocument carries macros as Basic or as scripts (Python, JavaScript, BeanShell).
    expect(detectFileType(zipOf([['mimetype', 'application/vnd.oasis.opendocument.text'], ['content.xml', '<x/>'], ['Basic/Standard/Module1.xml', 'x']]), 'a.odt')).toBeUndefined();
    expect(detectFileType(zipOf([['mimetype', 'application/vnd.oasis.opendocument.text'], ['content.xml', '<x/>'], ['Scripts/python/run.py', 'import os']]), 'a.odt')).toBeUndefined();
    expect(detectFileType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'broken.docx')).toBeUndefined();
  });

  it('takes UTF-8 text, Polish letters included, as plain text, and as CSV when named so', () => {
    expect(detectFileType(Buffer.from('Zażółć gęślą jaźń\r\n\tkoniec\n'), 'notatka.txt')).toBe('text');
    expect(detectFileType(Buffer.from('\ufeffnumer;kwota\n1;2\n'), 'Zestawienie.CSV')).toBe('csv');
  });

  it('refuses programs and binary data, whatever their names say', () => {
    expect(detectFileType(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]), 'faktura.pdf')).toBeUndefined();
    expect(detectFileType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), 'notatka.txt')).toBeUndefined();
    expect(detectFileType(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'stary.doc')).toBeUndefined();
    expect(detectFileType(Buffer.from([0xc3, 0x28, 0x41]), 'zle.txt')).toBeUndefined();
    expect(detectFileType(Buffer.alloc(0), 'pusty.txt')).toBeUndefined();
  });
});

describe('the names a file is stored and sent under', () => {
  it('keeps a plain name, Polish letters included', () => {
    expect(safeFileName('Protokół serwisu.pdf', 'pdf')).toBe('Protokół serwisu.pdf');
    expect(safeFileName('skan.JPEG', 'jpeg')).toBe('skan.JPEG');
  });

  it('drops folders and characters file systems refuse, and never starts with a dot', () => {
    expect(safeFileName('C:\\Users\\anna\\..\\umowa.pdf', 'pdf')).toBe('umowa.pdf');
    expect(safeFileName('../../etc/passwd', 'text')).toBe('passwd.txt');
    expect(safeFileName('a<b>c:"d"|e?*.pdf', 'pdf')).toBe('a_b_c__d__e__.pdf');
    expect(safeFileName('.htaccess', 'text')).toBe('htaccess.txt');
    expect(safeFileName('', 'png')).toBe('file.png');
  });

  it('gives a file the extension of its content', () => {
    expect(safeFileName('strona.html', 'text')).toBe('strona.html.txt');
    expect(safeFileName('faktura.exe', 'pdf')).toBe('faktura.exe.pdf');
  });

  it('shortens a long name and keeps its extension', () => {
    const name = safeFileName(`${'a'.repeat(300)}.pdf`, 'pdf');
    expect(name).toHaveLength(150);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  it('sends an ASCII name for old clients and the UTF-8 one for the rest', () => {
    expect(asciiFileName('Zażółć gęślą jaźń ŁÓDŹ.pdf')).toBe('Zazolc gesla jazn LODZ.pdf');
    expect(asciiFileName('报告 "final".pdf')).toBe('__ _final_.pdf');
    expect(attachmentDisposition("Umowa (kopia) l'été.pdf")).toBe(`attachment; filename="Umowa (kopia) l'ete.pdf"; filename*=UTF-8''Umowa%20%28kopia%29%20l%27%C3%A9t%C3%A9.pdf`);
  });
});
