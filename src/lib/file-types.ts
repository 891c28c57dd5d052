/**
 * What a file is, read from its content, never from its name (T6). The allowed list is small on
 * purpose: documents and pictures a customer sends to a service company. Each type is recognised
 * by its first bytes; the zip containers (DOCX, XLSX, ODT, ODS) by the entries inside them, so an
 * ordinary zip, a Java archive or a macro-enabled Office file is refused; plain text and CSV by
 * being valid UTF-8 without control bytes. The legacy Word and Excel formats (.doc, .xls) are not
 * allowed: their container is the one Windows installers (.msi) use, and they carry macros.
 */

export type AllowedType = { mediaType: string; extensions: readonly string[]; label: string };

export const allowedTypes = {
  pdf: { mediaType: 'application/pdf', extensions: ['pdf'], label: 'PDF' },
  png: { mediaType: 'image/png', extensions: ['png'], label: 'PNG' },
  jpeg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPEG' },
  gif: { mediaType: 'image/gif', extensions: ['gif'], label: 'GIF' },
  webp: { mediaType: 'image/webp', extensions: ['webp'], label: 'WebP' },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'], label: 'DOCX' },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], label: 'XLSX' },
  odt: { mediaType: 'application/vnd.oasis.opendocument.text', extensions: ['odt'], label: 'ODT' },
  ods: { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'], label: 'ODS' },
  csv: { mediaType: 'text/csv', extensions: ['csv'], label: 'CSV' },
  text: { mediaType: 'text/plain', extensions: ['txt'], label: 'TXT' },
} as const satisfies Record<string, AllowedType>;

export type AllowedTypeName = keyof typeof allowedTypes;

/** The allowed types as people know them, for the form's hint: "PDF, PNG, JPEG, …". */
export const allowedTypeLabels = [...new Set(Object.values(allowedTypes).map((type) => type.label))].join(', ');

const startsWith = (content: Buffer, bytes: readonly number[] | string, offset = 0) => {
  const expected = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return content.length >= offset + expected.length && content.subarray(offset, offset + expected.length).equals(expected);
};

/** How many leading bytes `typeByLeadingBytes` needs: the longest signature it reads ends there. */
export const leadingBytesLength = 12;

/**
 * The type of a file whose first bytes alone decide it (PDF and the pictures), or undefined when
 * the rest of the file is needed: a zip container (its directory is at the end) or plain text
 * (every byte is checked). An upload of a picture or a PDF is therefore never read whole to be
 * recognised; `detectFileType` asks this first, so both say the same of any content.
 * @param head the file's first `leadingBytesLength` bytes (fewer for a shorter file)
 */
export function typeByLeadingBytes(head: Buffer): AllowedTypeName | undefined {
  if (startsWith(head, '%PDF-')) return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return 'gif';
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return 'webp';
  return undefined;
}

/**
 * The allowed type of a file's content, or undefined when it is none of them.
 * @param content the whole file (at most the upload limit)
 * @param originalName the name it came with: only tells CSV from other text, never decides
 */
export function detectFileType(content: Buffer, originalName: string): AllowedTypeName | undefined {
  const byLeadingBytes = typeByLeadingBytes(content.subarray(0, leadingBytesLength));
  if (byLeadingBytes) return byLeadingBytes;
  if (startsWith(content, [0x50, 0x4b, 0x03, 0x04])) return officeTypeOf(content);
  if (isPlainText(content)) return /\.csv$/i.test(originalName) ? 'csv' : 'text';
  return undefined;
}

/** UTF-8 (a byte order mark allowed) with no control bytes but tab, line feed, form feed and carriage return. */
function isPlainText(content: Buffer): boolean {
  if (content.length === 0) return false;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
  } catch {
    return false;
  }
}

type ZipEntry = { name: string; localHeaderOffset: number };

/** DOCX, XLSX, ODT or ODS by the entries of the zip container; any other zip is not allowed. */
function officeTypeOf(content: Buffer): AllowedTypeName | undefined {
  const entries = zipEntries(content);
  if (!entries) return undefined;
  const names = new Set(entries.map((entry) => entry.name));
  // Macros (docm, xlsm and their kin renamed) are refused whatever else the file holds.
  if ([...names].some((name) => /vbaProject\.bin$/i.test(name) || /^(Basic|Scripts)\//.test(name))) return undefined;
  if (names.has('[Content_Types].xml')) {
    if (names.has('word/document.xml')) return 'docx';
    if (names.has('xl/workbook.xml')) return 'xlsx';
    return undefined;
  }
  const mimetype = entries[0]?.name === 'mimetype' ? storedEntryText(content, entries[0]) : undefined;
  if (mimetype === allowedTypes.odt.mediaType) return 'odt';
  if (mimetype === allowedTypes.ods.mediaType) return 'ods';
  return undefined;
}

/** The entries of a zip's central directory, in order; undefined when it cannot be read. */
function zipEntries(content: Buffer): ZipEntry[] | undefined {
  const end = endOfCentralDirectory(content);
  if (end < 0) return undefined;
  const count = content.readUInt16LE(end + 10);
  let offset = content.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > content.length || content.readUInt32LE(offset) !== 0x02014b50) return undefined;
    const nameLength = content.readUInt16LE(offset + 28);
    const extraLength = content.readUInt16LE(offset + 30);
    const commentLength = content.readUInt16LE(offset + 32);
    const localHeaderOffset = content.readUInt32LE(offset + 42);
    if (offset + 46 + nameLength > content.length) return undefined;
    entries.push({ name: content.toString('utf8', offset + 46, offset + 46 + nameLength), localHeaderOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Where the end-of-central-directory record starts (it may be followed by a comment of up to 64 KiB), or -1. */
function endOfCentralDirectory(content: Buffer): number {
  const earliest = Math.max(0, content.length - 22 - 0xffff);
  for (let offset = content.length - 22; offset >= earliest; offset -= 1) {
    if (content.readUInt32LE(offset) === 0x06054b50) return offset;
  }
  return -1;
}

/** The text of an entry stored without compression (an OpenDocument's `mimetype` always is). */
function storedEntryText(content: Buffer, entry: ZipEntry): string | undefined {
  const offset = entry.localHeaderOffset;
  if (offset + 30 > content.length || content.readUInt32LE(offset) !== 0x04034b50) return undefined;
  if (content.readUInt16LE(offset + 8) !== 0) return undefined;
  const size = content.readUInt32LE(offset + 18);
  const start = offset + 30 + content.readUInt16LE(offset + 26) + content.readUInt16LE(offset + 28);
  if (start + size > content.length || size > 200) return undefined;
  return content.toString('latin1', start, start + size);
}
