import { actingUserId, signedInUser, type Scope } from '../db/scope.js';
import { isUniqueViolation, NotFoundError } from '../lib/errors.js';
import type { Page } from '../lib/pagination.js';
import type { FileStores } from '../lib/storage/index.js';
import { fromDatabaseTime, toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { filesOfDocuments, storeFiles, withFilesRemovedOnFailure, type IncomingFile, type StoredFile } from './stored-file.js';
import { documentAdders, visibleCustomers, visibleDocuments } from './visibility.js';
import { nameFromColumns } from './user.js';

/** A stand-alone document of a customer (T6): a title, a description and its files. */
export type Document = {
  id: number;
  tenantId: number;
  customerId: number;
  title: string;
  description: string | null;
  addedBy: number | null;
  /** The name of who added it (null once that account is gone). */
  addedByName: string | null;
  createdAt: Date;
  files: StoredFile[];
};

export type NewDocument = { customerId: number; title: string; description: string | null; submissionKey: string | null };

function toDocument(row: Record<string, unknown>, files: StoredFile[]): Document {
  const name = nameFromColumns(row.added_by_first_name, row.added_by_last_name);
  return {
    id: Number(row.id),
    tenantId: Number(row.tenant_id),
    customerId: Number(row.customer_id),
    title: String(row.title),
    description: (row.description as string | null) ?? null,
    addedBy: row.added_by == null ? null : Number(row.added_by),
    addedByName: name || null,
    createdAt: fromDatabaseTime(row.created_at as string)!,
    files,
  };
}

/** Documents with who added them and their files: two queries for a page. */
async function withFiles(scope: Scope, query: ReturnType<typeof visibleDocuments>): Promise<Document[]> {
  const adders = documentAdders(scope).select('users.id', 'users.first_name', 'users.last_name').as('adders');
  const rows = (await query
    .leftJoin(adders, 'adders.id', 'documents.added_by')
    .select('documents.*', 'adders.first_name as added_by_first_name', 'adders.last_name as added_by_last_name')) as Array<Record<string, unknown>>;
  const files = await filesOfDocuments(scope, rows.map((row) => Number(row.id)));
  return rows.map((row) => toDocument(row, files.get(Number(row.id)) ?? []));
}

/** A document the actor may see. @throws NotFoundError otherwise, as for a missing one */
export async function findDocument(scope: Scope, id: number): Promise<Document> {
  const [document] = await withFiles(scope, visibleDocuments(scope).where('documents.id', id));
  if (!document) throw new NotFoundError(`document ${id} not found`);
  return document;
}

/** A page of the documents of one customer that the actor sees, newest first, and how many there are. */
export async function listDocuments(scope: Scope, customerId: number, page: Page): Promise<{ documents: Document[]; total: number }> {
  const base = () => visibleDocuments(scope).where('documents.customer_id', customerId);
  const [counted] = await base().count({ total: '*' });
  const documents = await withFiles(scope, base().orderBy('documents.created_at', 'desc').orderBy('documents.id', 'desc').limit(page.perPage).offset(page.offset));
  return { documents, total: Number(counted?.total ?? 0) };
}

/**
 * Adds a document with its files for a customer the actor sees (a client: its own), all or
 * nothing, audited as `document.added` (ids and the number of files, no names: a file's name may
 * be personal data). The same form sent twice (its submission key) adds one document and answers
 * both with it.
 * @returns the document's id
 * @throws NotFoundError when the customer is out of the actor's reach
 */
export async function addDocument(scope: Scope, stores: FileStores, input: NewDocument, files: readonly IncomingFile[]): Promise<number> {
  signedInUser(scope);
  const earlier = await documentOfSubmission(scope, input.submissionKey);
  if (earlier) return earlier;
  try {
    return await withFilesRemovedOnFailure(scope, async (trx) => {
      const customer = await visibleCustomers(trx).where('customers.id', input.customerId).first('customers.id');
      if (!customer) throw new NotFoundError(`customer ${input.customerId} not found`);
      const id = await trx.insert('documents', {
        customer_id: input.customerId,
        title: input.title,
        description: input.description,
        added_by: actingUserId(trx.actor),
        submission_key: input.submissionKey,
        created_at: toDatabaseTime(trx.now()),
      });
      await storeFiles(trx, stores.forNewFiles, { documentId: id }, files);
      await logEvent(trx, { action: 'document.added', subjectType: 'customer', subjectId: input.customerId, details: { documentId: id, files: files.length } });
      return id;
    });
  } catch (error) {
    // The same submission, sent at the same moment, won the race for the key: it is this one.
    const winner = isUniqueViolation(error) ? await documentOfSubmission(scope, input.submissionKey) : undefined;
    if (winner) return winner;
    throw error;
  }
}

async function documentOfSubmission(scope: Scope, submissionKey: string | null): Promise<number | undefined> {
  if (!submissionKey) return undefined;
  const row = await visibleDocuments(scope).where('documents.submission_key', submissionKey).first('documents.id');
  return row ? Number(row.id) : undefined;
}
