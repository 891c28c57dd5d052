import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PDFDocumentClass from 'pdfkit';

/**
 * PDF documents of the portal (the service report now; payment orders and statements later): A4,
 * DejaVu Sans embedded from the dejavu-fonts-ttf package (TrueType: pdfkit cannot read WOFF), so
 * Polish and Slovak letters print, and small helpers for headings, label–value lines and tables.
 * Only glyphs that are used are embedded (pdfkit subsets fonts), with a ToUnicode map, so text can
 * be copied and searched.
 */
export type Pdf = PDFKit.PDFDocument;

const fontFiles = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
export type FontName = keyof typeof fontFiles;

let fonts: Record<FontName, Buffer> | undefined;
let PDFDocument: typeof PDFDocumentClass | undefined;

/**
 * pdfkit, loaded on the first document: it takes about 0.4 s to load, which every process (a web
 * worker the primary restarts, the job runner, each test file) would otherwise pay at start.
 */
function pdfkit(): typeof PDFDocumentClass {
  PDFDocument ??= createRequire(import.meta.url)('pdfkit') as typeof PDFDocumentClass;
  return PDFDocument;
}

/** What pdfkit keeps of a document's fonts: the fonts in use by name, and how many it numbered. */
type FontInternals = { _fontFamilies: Record<string, { font: ParsedFont; constructor: EmbeddedFontClass }>; _fontCount: number };
type EmbeddedFontClass = new (document: Pdf, parsed: ParsedFont, id: string) => { font: ParsedFont };
/** A font as fontkit parsed it: the code points it maps, and the glyph of one (made once and kept). */
type ParsedFont = { characterSet: number[]; glyphForCodePoint: (codePoint: number) => unknown };
let parsedFonts: { EmbeddedFont: EmbeddedFontClass; fonts: Record<FontName, ParsedFont> } | undefined;

/**
 * Registers our fonts on a document, 'regular' in use. pdfkit parses a font file again for every
 * document, and decoding DejaVu Sans's tables (cmap, metrics, kerning) took about 40 ms of a
 * payment order's 60: a process made about 16 orders a second where issue 20 asks for 50. The
 * first document parses them; later ones get pdfkit's own font objects (EmbeddedFont, taken from
 * that first document) over the same parsed fonts, so each document still makes its own subset of
 * the glyphs it uses, and no two documents use a font at once (drawing and encoding are
 * synchronous). This leans on two fields of pdfkit's that it does not document
 * (`_fontFamilies`, `_fontCount`); pdfkit is pinned to ~0.17, and the tests of the PDFs' text fail
 * if they change.
 *
 * fontkit keeps each glyph object with the characters of its first request, and the text layer
 * (ToUnicode) is written from them: a glyph first met as a part of another (DejaVu draws "Ż" from
 * "Z" and a dot) would be kept without its character, and a later document's "Z" would copy as
 * nothing. Within one document the text is laid out before the subset is written, so it never
 * happened; across documents it would, so every mapped character's glyph is made once, with its
 * character, before any document uses the font (the lowest code point wins a shared glyph).
 */
function useFonts(document: Pdf): void {
  const data = fontData();
  const internals = document as unknown as FontInternals;
  for (const name of Object.keys(fontFiles) as FontName[]) {
    document.registerFont(name, data[name]);
    if (parsedFonts) internals._fontFamilies[name] = new parsedFonts.EmbeddedFont(document, parsedFonts.fonts[name], `F${++internals._fontCount}`) as never;
  }
  document.font('bold').font('regular');
  if (!parsedFonts) {
    const { regular, bold } = internals._fontFamilies;
    for (const font of [regular!.font, bold!.font]) for (const codePoint of font.characterSet.sort((a, b) => a - b)) font.glyphForCodePoint(codePoint);
    parsedFonts = { EmbeddedFont: regular!.constructor, fonts: { regular: regular!.font, bold: bold!.font } };
  }
}

/** The font files, read on first use (never at import) and kept. */
function fontData(): Record<FontName, Buffer> {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const read = (file: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
    fonts = { regular: read(fontFiles.regular), bold: read(fontFiles.bold) };
  }
  return fonts;
}

export const pageMargin = 50;

/**
 * A new A4 document with the fonts registered ('regular', 'bold'; regular in use) and its metadata:
 * title, language and the time it was made (the app's clock, not the machine's).
 */
export function createPdf(info: { title: string; language: string; createdAt: Date; author?: string; isLandscape?: boolean }): Pdf {
  // A wide table (the staff's money reports) is printed across the page.
  // No default font (`font: null`): pdfkit would otherwise parse Helvetica's metrics for every
  // document only for us to switch to DejaVu at once.
  const document = new (pdfkit())({ font: null as unknown as string, size: 'A4', layout: info.isLandscape ? 'landscape' : 'portrait', margin: pageMargin, lang: info.language, displayTitle: true, info: { Title: info.title, Author: info.author ?? '', CreationDate: info.createdAt, ModDate: info.createdAt } });
  useFonts(document);
  return document;
}

/** Ends the document and gives its bytes. */
export function pdfBytes(document: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    document.on('data', (chunk: Buffer) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
    document.end();
  });
}

/** The width between the margins. */
export function contentWidth(document: Pdf): number {
  return document.page.width - document.page.margins.left - document.page.margins.right;
}

/** A heading in bold, with a little space after it. */
export function heading(document: Pdf, text: string, size = 14): void {
  document.font('bold').fontSize(size).text(text, document.page.margins.left, document.y, { width: contentWidth(document) });
  document.font('regular').fontSize(10).moveDown(0.4);
}

/** Lines of "label: value", the label in bold; lines without a value are left out. */
export function labelledLines(document: Pdf, lines: ReadonlyArray<readonly [string, string | null | undefined]>): void {
  for (const [label, value] of lines) {
    if (value === null || value === undefined || value === '') continue;
    document.font('bold').fontSize(10).text(`${label}: `, document.page.margins.left, document.y, { continued: true, width: contentWidth(document) });
    document.font('regular').text(value);
  }
}

/** A column of a table: its header, its share of the width (the shares add up to 1) and its alignment. */
export type PdfColumn = { header: string; share: number; align?: 'left' | 'right' };
/** A row of a table: its cells as text, in bold when `isBold` (a total). */
export type PdfRow = { cells: string[]; isBold?: boolean };

const cellPadding = 3;

/**
 * A table across the page's width: a bold header row over a rule, then the rows, each as tall as its
 * longest cell (text wraps within its column). A row that does not fit starts a new page, which
 * repeats the header.
 */
export function table(document: Pdf, columns: readonly PdfColumn[], rows: readonly PdfRow[]): void {
  const left = document.page.margins.left;
  const width = contentWidth(document);
  const widths = columns.map((column) => column.share * width);
  const drawRow = (cells: readonly string[], isBold: boolean) => {
    document.font(isBold ? 'bold' : 'regular').fontSize(9);
    const height = Math.max(...cells.map((cell, index) => document.heightOfString(cell, { width: widths[index]! - 2 * cellPadding }))) + 2 * cellPadding;
    if (document.y + height > document.page.height - document.page.margins.bottom) {
      document.addPage();
      if (!isHeader(cells)) drawRow(columns.map((column) => column.header), true);
    }
    const top = document.y;
    let x = left;
    cells.forEach((cell, index) => {
      document.text(cell, x + cellPadding, top + cellPadding, { width: widths[index]! - 2 * cellPadding, align: columns[index]!.align ?? 'left' });
      x += widths[index]!;
    });
    document.y = top + height;
    document.moveTo(left, document.y).lineTo(left + width, document.y).lineWidth(0.5).strokeColor('#999999').stroke();
  };
  const isHeader = (cells: readonly string[]) => cells.every((cell, index) => cell === columns[index]!.header);
  drawRow(columns.map((column) => column.header), true);
  for (const row of rows) drawRow(row.cells, row.isBold ?? false);
  document.font('regular').fontSize(10).x = left;
  document.moveDown(0.6);
}
