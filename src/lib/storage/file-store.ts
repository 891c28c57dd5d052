import type { Readable } from 'node:stream';
import type { Scope } from '../../db/scope.js';

/**
 * Where the content of uploaded files is kept (T6): the seam between the features and the store.
 * Features keep a file's row (stored_files: name, type, size, hash) and the store's name and key;
 * the content is the store's. The database is the embedded default, a folder on disk is used when
 * FILES_DIR is set, and an S3-compatible store is one more implementation of this interface.
 */
export interface FileStore {
  /** The name kept with each file, so that a file is read from the store it was put in. */
  readonly name: string;
  /**
   * Whether put and delete take part in the scope's transaction (the database does): a store that
   * does not (a folder, S3) has the content of a rolled-back upload removed by the caller, and
   * deletes happen after the commit, in a job.
   */
  readonly isTransactional: boolean;
  /** Stores the content; returns the key to read it by. */
  put(scope: Scope, content: Readable | Buffer): Promise<string>;
  /** The content as a stream. @throws Error when there is no such key (a file's row and store disagree) */
  get(scope: Scope, key: string): Promise<Readable>;
  /** Removes the content; a key already gone is no error, so a repeated delete does no harm. */
  delete(scope: Scope, key: string): Promise<void>;
}

/** A store's key: 32 hexadecimal digits, never a path; anything else is refused before it reaches a store. */
export const storeKeyPattern = /^[0-9a-f]{32}$/;

export function checkStoreKey(key: string): string {
  if (!storeKeyPattern.test(key)) throw new Error(`not a store key: ${JSON.stringify(key)}`);
  return key;
}
