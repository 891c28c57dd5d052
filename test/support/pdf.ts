/**
 * The text of a PDF as a reader would copy it, page by page, read by pdf.js (its legacy build runs on
 * Node 20), so a test asserts what the document says rather than how its bytes look.
 */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number += 1) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join(''));
  }
  await document.destroy();
  // Amounts are written with no-break spaces (1 234,56 zł); a test compares plain spaces.
  return pages.join('\n').replace(/[\u00a0\u202f]/g, ' ').replace(/ {2,}/g, ' ');
}

/** Reads a supertest response's body as bytes (for `.buffer(true).parse(binaryParser)`): binary types are not parsed by default. */
export function binaryParser(response: NodeJS.ReadableStream, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
  response.on('error', (error: Error) => callback(error, Buffer.alloc(0)));
}
