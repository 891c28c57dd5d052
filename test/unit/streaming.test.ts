import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { writeInTurn } from '../../src/lib/streaming.js';

const line = 'K/000123;Klient sp. z o.o.;PL;5260250274;ul. Długa 1;00-950;Łódź;PL;klient@example.test;;;\r\n';

/** Batches of 1,000 lines, as many as asked for, counting how many were pulled. */
function countedBatches(count: number) {
  const state = { pulled: 0 };
  async function* batches() {
    for (let index = 0; index < count; index += 1) {
      state.pulled += 1;
      yield line.repeat(1000);
    }
  }
  return { state, batches: batches() };
}

/** The export loop of the CSV actions: write each batch in turn, stop when the client is gone. */
async function send(output: PassThrough, batches: AsyncIterable<string>): Promise<'ended' | 'gone'> {
  for await (const batch of batches) if (!(await writeInTurn(output, batch))) return 'gone';
  output.end();
  return 'ended';
}

describe('writing a streamed CSV in turn with its reader', () => {
  it('reads no further batch while the client has not taken the last one, and all of them once it reads', async () => {
    const output = new PassThrough({ highWaterMark: 16 * 1024 });
    const { state, batches } = countedBatches(200);
    const sent = send(output, batches);
    for (let turn = 0; turn < 20; turn += 1) await nextTurn();
    // Nobody reads: the first batch fills the buffer and the loop waits for it.
    expect(state.pulled).toBe(1);
    expect(output.writableLength).toBeLessThanOrEqual(Buffer.byteLength(line) * 1000);
    let received = 0;
    output.on('data', (chunk: Buffer) => (received += chunk.length));
    expect(await sent).toBe('ended');
    expect(state.pulled).toBe(200);
    expect(received).toBe(Buffer.byteLength(line) * 1000 * 200);
  });

  it('stops reading when the client goes away while it waits', async () => {
    const output = new PassThrough({ highWaterMark: 1024 });
    const { state, batches } = countedBatches(50);
    const sent = send(output, batches);
    await nextTurn();
    output.destroy();
    expect(await sent).toBe('gone');
    expect(state.pulled).toBe(1);
  });

  it('leaves no listener behind after hundreds of waits', async () => {
    const output = new PassThrough({ highWaterMark: 64 });
    output.resume();
    const before = { close: output.listenerCount('close'), drain: output.listenerCount('drain'), error: output.listenerCount('error') };
    for (let index = 0; index < 500; index += 1) expect(await writeInTurn(output, line)).toBe(true);
    expect({ close: output.listenerCount('close'), drain: output.listenerCount('drain'), error: output.listenerCount('error') }).toEqual(before);
  });
});
