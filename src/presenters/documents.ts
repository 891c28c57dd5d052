import type { Document } from '../models/document.js';
import type { StoredFile } from '../models/stored-file.js';

/** A file's size as people read it: "850 KB", "2,4 MB" (the reader's decimal separator). */
export function fileSizeText(bytes: number, locale: string): string {
  const format = (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  if (bytes < 1024 * 1024) return `${format(Math.max(1, Math.round(bytes / 1024)))} KB`;
  return `${format(bytes / (1024 * 1024))} MB`;
}

export type ShownFile = StoredFile & { sizeText: string };
export type ShownDocument = Omit<Document, 'files'> & { files: ShownFile[] };

/** Documents as the lists show them: each file with its size in words. */
export function presentDocuments(documents: readonly Document[], locale: string): ShownDocument[] {
  return documents.map((document) => ({ ...document, files: document.files.map((file) => ({ ...file, sizeText: fileSizeText(file.size, locale) })) }));
}

/** Files as the pages list them (a ticket's attachments, a message's): each with its size in words. */
export function presentFiles(files: readonly StoredFile[], locale: string): ShownFile[] {
  return files.map((file) => ({ ...file, sizeText: fileSizeText(file.size, locale) }));
}
