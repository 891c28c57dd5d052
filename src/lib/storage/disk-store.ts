import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkStoreKey, type FileStore } from './file-store.js';

/**
 * Files in a folder (FILES_DIR): `<folder>/<tenant id>/<first two digits of the key>/<key>`. A file
 * is written under a temporary name and renamed when complete, so a reader never sees half a file.
 * Not part of the database's transaction: the caller removes the content of an upload whose
 * transaction failed, and deletes after the commit (a job, retried when it fails).
 */
export function diskStore(folder: string): FileStore {
  const root = path.resolve(folder);
  const pathOf = (tenantId: number, key: string) => path.join(root, String(tenantId), key.slice(0, 2), checkStoreKey(key));
  return {
    name: 'disk',
    isTransactional: false,
    async put(scope, content) {
      const key = randomUUID().replaceAll('-', '');
      const target = pathOf(scope.tenantId, key);
      await mkdir(path.dirname(target), { recursive: true });
      const partial = `${target}.partial`;
      try {
        await pipeline(Buffer.isBuffer(content) ? Readable.from([content]) : content, createWriteStream(partial, { flags: 'wx', mode: 0o640 }));
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return key;
    },
    async get(scope, key) {
      const file = pathOf(scope.tenantId, key);
      await stat(file);
      return createReadStream(file);
    },
    async delete(scope, key) {
      await rm(pathOf(scope.tenantId, key), { force: true });
    },
  };
}
