import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Scope } from '../../db/scope.js';
import { checkStoreKey, type FileStore } from './file-store.js';

/** 1 MiB a row: far below MySQL's max_allowed_packet (16 MiB by default on MariaDB 10.2+ and MySQL 8). */
export const chunkSize = 1024 * 1024;

/**
 * Files in the database (`file_blobs`), the embedded default: one row per chunk, written in the
 * caller's transaction, so a file and the record it belongs to are saved, or not, together. A
 * download reads one chunk at a time, so memory holds one chunk, whatever the file's size.
 */
export const databaseStore: FileStore = {
  name: 'database',
  isTransactional: true,
  async put(scope, content) {
    const key = randomUUID().replaceAll('-', '');
    let index = 0;
    for await (const chunk of chunksOf(content)) {
      await scope.insertQuery('file_blobs', { store_key: key, chunk_index: index, data: chunk });
      index += 1;
    }
    return key;
  },
  async get(scope, key) {
    const indexes = (await scope.table('file_blobs').where('store_key', checkStoreKey(key)).orderBy('chunk_index').select('chunk_index')) as Array<{ chunk_index: number }>;
    if (indexes.length === 0) throw new Error(`no content under key ${key} in the database store`);
    return Readable.from(readChunks(scope, key, indexes.map((row) => Number(row.chunk_index))));
  },
  async delete(scope, key) {
    await scope.table('file_blobs').where('store_key', checkStoreKey(key)).delete();
  },
};

async function* readChunks(scope: Scope, key: string, indexes: number[]): AsyncGenerator<Buffer> {
  for (const index of indexes) {
    const row = (await scope.table('file_blobs').where({ store_key: key, chunk_index: index }).first('data')) as { data: Buffer } | undefined;
    if (!row) throw new Error(`chunk ${index} of ${key} is gone`);
    yield Buffer.from(row.data);
  }
}

/** The content in pieces of exactly chunkSize bytes (the last one shorter). */
async function* chunksOf(content: Readable | Buffer): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(content)) {
    for (let offset = 0; offset < content.length; offset += chunkSize) yield content.subarray(offset, offset + chunkSize);
    return;
  }
  let pending: Buffer[] = [];
  let pendingLength = 0;
  for await (const piece of content) {
    let buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
    while (pendingLength + buffer.length >= chunkSize) {
      const taken = chunkSize - pendingLength;
      yield Buffer.concat([...pending, buffer.subarray(0, taken)]);
      buffer = buffer.subarray(taken);
      pending = [];
      pendingLength = 0;
    }
    if (buffer.length > 0) {
      pending.push(buffer);
      pendingLength += buffer.length;
    }
  }
  if (pendingLength > 0) yield Buffer.concat(pending);
}
