import jsQRModule from 'jsqr';
import type { QrMatrix } from '../../src/lib/qr.js';

// jsqr ships CommonJS with `exports.default`: under Node's ESM interop the function is that default.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

/** The text a QR matrix carries, read back by jsQR from a rendering of it (4 pixels a module, a white quiet zone). */
export function decodeQr(matrix: QrMatrix): string | undefined {
  const scale = 4;
  const side = (matrix.size + 8) * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const [row, column] = [Math.floor(y / scale) - 4, Math.floor(x / scale) - 4];
      if (row >= 0 && column >= 0 && row < matrix.size && column < matrix.size && matrix.isDark(row, column)) pixels.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return jsQR(pixels, side, side)?.data;
}
