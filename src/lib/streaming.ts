import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Writes a piece of a streamed response (a CSV batch) and, when the connection's buffer is full,
 * waits until the client has taken it ('drain') or gone ('close'), so a slow client holds the
 * reading of the next batch back instead of the process buffering the whole file. The listeners of
 * the wait are removed after it: a long export waits thousands of times.
 * @returns false when the client has gone (the caller stops reading)
 */
export async function writeInTurn(output: Writable, text: string): Promise<boolean> {
  if (output.destroyed) return false;
  if (output.write(text)) return true;
  const controller = new AbortController();
  try {
    await Promise.race([once(output, 'drain', { signal: controller.signal }), once(output, 'close', { signal: controller.signal })]);
  } finally {
    controller.abort();
  }
  return !output.destroyed;
}
