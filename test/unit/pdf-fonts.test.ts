import { describe, expect, it } from 'vitest';
import { createPdf, heading, pdfBytes } from '../../src/lib/pdf.js';
import { pdfText } from '../support/pdf.js';

const documentSaying = async (lines: string[]) => {
  const document = createPdf({ title: 'Próba', language: 'pl', createdAt: new Date('2026-12-01T10:00:00Z') });
  heading(document, lines[0]!);
  for (const line of lines.slice(1)) document.text(line);
  return pdfText(await pdfBytes(document));
};

describe('PDF fonts parsed once and shared by documents', () => {
  it('keeps every letter searchable in later documents, also a letter first drawn as a part of another (Z of Ż)', async () => {
    // The first document draws Ż and Ł (DejaVu composes them of Z and L with a mark) but no Z or L.
    expect(await documentSaying(['Żółć', 'Łąka ŻÓŁW'])).toContain('Żółć');
    const later = await documentSaying(['Zestawienie zaległości', 'Lublin, Zamość, Łódź', 'ZAŻÓŁĆ GĘŚLĄ JAŹŃ']);
    expect(later).toContain('Zestawienie zaległości');
    expect(later).toContain('Lublin, Zamość, Łódź');
    expect(later).toContain('ZAŻÓŁĆ GĘŚLĄ JAŹŃ');
  });

  it('embeds in each document only the glyphs that document uses', async () => {
    const many = createPdf({ title: 'a', language: 'pl', createdAt: new Date('2026-12-01T10:00:00Z') });
    many.text('ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż 0123456789'.repeat(3));
    const manyBytes = await pdfBytes(many);
    const few = createPdf({ title: 'a', language: 'pl', createdAt: new Date('2026-12-01T10:00:00Z') });
    few.text('ab');
    const fewBytes = await pdfBytes(few);
    expect(fewBytes.length).toBeLessThan(manyBytes.length / 2);
    expect(await pdfText(fewBytes)).toContain('ab');
  });
});
