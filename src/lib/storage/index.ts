import { databaseStore } from './database-store.js';
import { diskStore } from './disk-store.js';
import type { FileStore } from './file-store.js';

export type { FileStore } from './file-store.js';

/** The stores of an installation: the one new files go to, and every store by the name kept with a file. */
export type FileStores = {
  forNewFiles: FileStore;
  /** @throws Error for a store this installation does not have (files on disk, FILES_DIR unset) */
  named(name: string): FileStore;
};

/**
 * The installation's stores: a folder when FILES_DIR is set (config.filesDirectory), else the
 * database. Files put in the database before a folder was set are still read from it.
 */
export function fileStoresFor(options: { filesDirectory: string | undefined }): FileStores {
  const stores = new Map<string, FileStore>([[databaseStore.name, databaseStore]]);
  if (options.filesDirectory) stores.set('disk', diskStore(options.filesDirectory));
  return {
    forNewFiles: stores.get(options.filesDirectory ? 'disk' : 'database')!,
    named(name) {
      const store = stores.get(name);
      if (!store) throw new Error(`files kept in the ${name} store, which this installation does not have (is FILES_DIR set?)`);
      return store;
    },
  };
}
