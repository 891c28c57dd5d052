import { createRequire } from 'node:module';
import type QRCodeModule from 'qrcode';

let QRCode: typeof QRCodeModule | undefined;

/** A QR code as its square of modules: `isDark(row, column)` for 0 ≤ row, column < size. */
export type QrMatrix = { size: number; isDark: (row: number, column: number) => boolean };

/**
 * The QR code of a text, as modules to draw (the PDFs draw them as rectangles: no image, no
 * download). Error correction M, as the ZBP recommendation asks for the 2D payment code; the
 * qrcode package picks the smallest version that holds the text and encodes it as UTF-8 bytes.
 */
export function qrMatrixOf(text: string): QrMatrix {
  QRCode ??= createRequire(import.meta.url)('qrcode') as typeof QRCodeModule; // loaded on first use, not at every process start
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = code.modules;
  return { size, isDark: (row, column) => Boolean(data[row * size + column]) };
}
