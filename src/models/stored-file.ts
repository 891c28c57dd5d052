import type { Readable } from 'node:stream';
import { actingUserId, type Scope } from '../db/scope.js';
import { NotFoundError } from '../lib/errors.js';
import { safeFileName } from '../lib/file-names.js';
import { allowedTypes, type AllowedTypeName } from '../lib/file-types.js';
import type { FileStore, FileStores } from '../lib/storage/index.js';
import { fromDatabaseTime, toDatabaseTime } from '../lib/time.js';
import { enqueueTenantJob } from './job.js';
import { visibleStoredFiles } from './visibility.js';

/** An uploaded file as pages show it; its content is in the store it names. */
export type StoredFile = {
  id: number;
  tenantId: number;
  documentId: number | null;
  ticketId: number | null;
  ticketMessageId: number | null;
  store: string;
  storeKey: string;
  originalName: string;
  safeName: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedBy: number | null;
  createdAt: Date;
};

/** A file to keep: its allowed type (found in its content), its name, size and hash, and its content. */
export type IncomingFile = { originalName: string; type: AllowedTypeName; size: number; sha256: string; content(): Promise<Buffer | Readable> };
/** What a file belongs to: a document, a ticket (the files of its form), or a message of a ticket (a reply or an internal note). */
export type FileOwner = { documentId: number } | { ticketId: number } | { ticketId: number; ticketMessageId: number };

export function toStoredFile(row: Record<string, unknown>): StoredFile {
  return {
    id: Number(row.id),
    tenantId: Number(row.tenant_id),
    documentId: row.document_id == null ? null : Number(row.document_id),
    ticketId: row.ticket_id == null ? null : Number(row.ticket_id),
    ticketMessageId: row.ticket_message_id == null ? null : Number(row.ticket_message_id),
    store: String(row.store),
    storeKey: String(row.store_key),
    originalName: String(row.original_name),
    safeName: String(row.safe_name),
    mediaType: String(row.media_type),
    size: Number(row.size),
    sha256: String(row.sha256),
    uploadedBy: row.uploaded_by == null ? null : Number(row.uploaded_by),
    createdAt: fromDatabaseTime(row.created_at as string)!,
  };
}

/** A file the actor may see (through what it belongs to). @throws NotFoundError otherwise, as for a missing one */
export async function findStoredFile(scope: Scope, id: number): Promise<StoredFile> {
  const files = await visibleStoredFiles(scope);
  const row = await files().where('stored_files.id', id).first('stored_files.*');
  if (!row) throw new NotFoundError(`file ${id} not found`);
  return toStoredFile(row);
}

/** The files of some documents the actor sees, in the order they came, in one query. */
export async function filesOfDocuments(scope: Scope, documentIds: readonly number[]): Promise<Map<number, StoredFile[]>> {
  const files = new Map<number, StoredFile[]>(documentIds.map((id) => [id, []]));
  if (documentIds.length === 0) return files;
  const visible = await visibleStoredFiles(scope);
  const rows = await visible().whereIn('stored_files.document_id', documentIds).orderBy('stored_files.id').select('stored_files.*');
  for (const row of rows) files.get(Number(row.document_id))?.push(toStoredFile(row));
  return files;
}

/** The attachments of a ticket that the actor sees: the ticket's own (its form's) and those of each message it reads, in one query. */
export async function filesOfTicket(scope: Scope, ticketId: number): Promise<{ ofTicket: StoredFile[]; byMessage: Map<number, StoredFile[]> }> {
  const visible = await visibleStoredFiles(scope);
  const rows = await visible().where('stored_files.ticket_id', ticketId).orderBy('stored_files.id').select('stored_files.*');
  const ofTicket: StoredFile[] = [];
  const byMessage = new Map<number, StoredFile[]>();
  for (const file of rows.map(toStoredFile)) {
    if (file.ticketMessageId === null) ofTicket.push(file);
    else byMessage.set(file.ticketMessageId, [...(byMessage.get(file.ticketMessageId) ?? []), file]);
  }
  return { ofTicket, byMessage };
}

/** The content of a file the actor has found, from the store it was put in. */
export function contentOf(scope: Scope, stores: FileStores, file: StoredFile): Promise<Readable> {
  return stores.named(file.store).get(scope, file.storeKey);
}

/**
 * Keeps files for their owner, inside the caller's transaction. The store for new files takes the
 * content; a store outside the transaction (a folder) has what it took removed when the
 * transaction fails, so a refused or failed submission leaves nothing behind.
 */
export async function storeFiles(scope: Scope, store: FileStore, owner: FileOwner, files: readonly IncomingFile[]): Promise<number[]> {
  if (!scope.isTransaction) throw new Error('storeFiles runs inside the transaction of the record the files belong to');
  const ids: number[] = [];
  for (const file of files) {
    const key = await store.put(scope, await file.content());
    if (!store.isTransactional) removeWhenRolledBack(scope, store, key);
    ids.push(
      await scope.insert('stored_files', {
        document_id: 'documentId' in owner ? owner.documentId : null,
        ticket_id: 'ticketId' in owner ? owner.ticketId : null,
        ticket_message_id: 'ticketMessageId' in owner ? owner.ticketMessageId : null,
        store: store.name,
        store_key: key,
        original_name: file.originalName.slice(0, 255),
        safe_name: safeFileName(file.originalName, file.type),
        media_type: allowedTypes[file.type].mediaType,
        size: file.size,
        sha256: file.sha256,
        uploaded_by: actingUserId(scope.actor),
        created_at: toDatabaseTime(scope.now()),
      }),
    );
  }
  return ids;
}

const rolledBackKeys = 'stored-files:put-outside-transaction';

/** Notes content put outside the transaction, for `removeContentOfFailedTransaction` to remove. */
function removeWhenRolledBack(scope: Scope, store: FileStore, key: string): void {
  const state = scope.transactionState!;
  const keys = (state.get(rolledBackKeys) as Array<{ store: FileStore; key: string }> | undefined) ?? [];
  keys.push({ store, key });
  state.set(rolledBackKeys, keys);
}

/**
 * Runs a verb that stores files; when it fails, removes the content it put in stores outside the
 * transaction (the rows went with the rollback). A removal that fails is left to a job.
 */
export async function withFilesRemovedOnFailure<T>(scope: Scope, work: (trx: Scope) => Promise<T>): Promise<T> {
  let taken: Array<{ store: FileStore; key: string }> = [];
  try {
    return await scope.transaction(async (trx) => {
      try {
        return await work(trx);
      } finally {
        taken = (trx.transactionState?.get(rolledBackKeys) as typeof taken | undefined) ?? [];
      }
    });
  } catch (error) {
    for (const { store, key } of taken) await store.delete(scope, key).catch(() => enqueueFileDeletion(scope, store.name, key));
    throw error;
  }
}

/**
 * Deletes a file the actor sees: its row now, in the caller's transaction; its content with the
 * row when the store is the database, else after the commit, by a job that is retried when it fails.
 */
export async function deleteStoredFile(scope: Scope, stores: FileStores, id: number): Promise<void> {
  await scope.transaction(async (trx) => {
    const file = await findStoredFile(trx, id);
    const files = await visibleStoredFiles(trx);
    await files().where('stored_files.id', id).delete();
    const store = stores.named(file.store);
    if (store.isTransactional) await store.delete(trx, file.storeKey);
    else await enqueueFileDeletion(trx, store.name, file.storeKey);
  });
}

async function enqueueFileDeletion(scope: Scope, store: string, key: string): Promise<void> {
  await enqueueTenantJob(scope, { kind: 'files.delete', payload: { store, key }, runAt: scope.now() });
}
