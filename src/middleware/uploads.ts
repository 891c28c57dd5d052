import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { IncomingForm, errors as formErrors, type FormidableError } from 'formidable';
import { ForbiddenError } from '../lib/errors.js';
import { detectFileType, leadingBytesLength, typeByLeadingBytes, type AllowedTypeName } from '../lib/file-types.js';
import { csrfTokenMatches } from './csrf.js';

/** What one submission may carry (T6): 10 MB a file, 5 files. */
export const uploadLimits = { maxFiles: 5, maxFileSize: 10 * 1024 * 1024 } as const;
/** An import's one CSV file (M7): 100,000 rows of invoices are about 10 MB. */
export const importUploadLimits = { maxFiles: 1, maxFileSize: 50 * 1024 * 1024, isContentLeftToRoute: true } as const;
export type UploadLimits = {
  maxFiles: number;
  maxFileSize: number;
  /** The route reads the file itself, whatever it holds (an import's CSV, which may be Windows-1250 text): no type check, never read whole. */
  isContentLeftToRoute?: boolean;
};

/**
 * A file that came with the form, of an allowed type. Its content is read once: a PDF or a picture,
 * recognised by its first bytes, is streamed from the temporary file when it is stored; a file that
 * had to be read whole to be recognised (a zip container, text) gives that same buffer.
 */
export type ReceivedFile = { originalName: string; type: AllowedTypeName; size: number; sha256: string; content(): Promise<Buffer | Readable> };
/** Why the files of a submission were refused: an i18n key and its values (the file's name). */
export type UploadRefusal = { key: string; values?: Record<string, unknown> };
export type ReceivedUploads = { files: ReceivedFile[]; refusal?: UploadRefusal };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The files of a multipart form, on routes that take files (the route's `uploads` option). */
      uploads?: ReceivedUploads;
      /** A multipart request whose CSRF token is still to be read from its fields (csrf.ts leaves it to receiveUploads). */
      isCsrfLeftToUploads?: boolean;
    }
  }
}

class FileTooLargeError extends Error {
  constructor(readonly fileName: string) {
    super(`${fileName} is larger than the limit`);
  }
}

export const isMultipart = (req: Request) => /^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '');

/**
 * A route step for the routes that take files: reads a multipart form as it streams in, its fields
 * into req.body and its files into a temporary folder (removed when the response is done), and
 * puts the outcome in req.uploads. The CSRF token must come before the first file (our forms put
 * it first): no file is written for a request that has not shown it. A file over the size limit
 * is cut off when it passes the limit, never read whole; a sixth file stops the parsing likewise.
 * A refusal (too many, too large, a type not allowed, empty) is req.uploads.refusal, for the
 * controller to answer 422 with its form; a wrong token is 403.
 */
export function receiveUploads(limits: UploadLimits = uploadLimits): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!isMultipart(req)) {
      req.uploads = { files: [] };
      return next();
    }
    const folder = await mkdtemp(path.join(os.tmpdir(), 'ebok-upload-'));
    res.on('close', () => void rm(folder, { recursive: true, force: true }));
    const received = await receive(req, folder, limits);
    req.body = received.fields;
    if (received.error instanceof ForbiddenError) throw received.error;
    req.uploads = received.error ? { files: [], refusal: refusalOf(received.error, limits) } : limits.isContentLeftToRoute ? asReceived(received.files) : await inspect(received.files);
    next();
  };
}

type Spooled = { originalName: string; filepath: string; size: number; sha256: string };
type Reception = { fields: Record<string, string>; files: Spooled[]; error?: unknown };

function receive(req: Request, folder: string, limits: UploadLimits): Promise<Reception> {
  const fields: Record<string, string> = {};
  let isTokenShown = false;
  let fileCount = 0;
  const form = new IncomingForm({
    maxFiles: limits.maxFiles,
    maxFileSize: limits.maxFileSize,
    maxTotalFileSize: limits.maxFiles * limits.maxFileSize,
    maxFields: 50,
    maxFieldsSize: 100 * 1024,
    allowEmptyFiles: true,
    minFileSize: 0,
    hashAlgorithm: 'sha256',
    // A file input left empty still sends a part without a name: it is no file.
    filter: (part) => Boolean(part.originalFilename),
    fileWriteStreamHandler: (file) => {
      fileCount += 1;
      file.filepath = path.join(folder, String(fileCount));
      if (!isTokenShown) return failing(new ForbiddenError('multipart form without a CSRF token before its files', { messageKey: 'errors:csrf' }));
      return limitedFileStream(file.filepath, limits.maxFileSize, file.originalFilename ?? '');
    },
  });
  form.on('field', (name: string, value: string) => {
    if (!(name in fields)) fields[name] = value;
    if (name === '_csrf') isTokenShown = csrfTokenMatches(req, value);
  });
  return form.parse(req).then(
    ([, files]) => {
      if (!isTokenShown) return { fields, files: [], error: new ForbiddenError('missing or wrong CSRF token', { messageKey: 'errors:csrf' }) };
      const spooled = Object.values(files).flat().map((file) => ({ originalName: file.originalFilename ?? '', filepath: file.filepath, size: file.size, sha256: String(file.hash) }));
      return { fields, files: spooled.sort((a, b) => a.filepath.localeCompare(b.filepath, 'en', { numeric: true })) };
    },
    // A form that broke before its token was shown (too many fields, a malformed body) is refused as
    // any request without the token is: no route ever runs on a multipart body without the check.
    (error: unknown) => ({ fields, files: [], error: isTokenShown ? error : new ForbiddenError('multipart form broken before its CSRF token', { messageKey: 'errors:csrf' }) }),
  );
}

/** A stream to the temporary file that fails as soon as more than `maxBytes` have come. */
function limitedFileStream(filepath: string, maxBytes: number, fileName: string): Writable {
  const target = createWriteStream(filepath, { flags: 'wx', mode: 0o600 });
  let written = 0;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      if (written > maxBytes) return callback(new FileTooLargeError(fileName));
      target.write(chunk, callback);
    },
    final(callback) {
      target.end(callback);
    },
    destroy(error, callback) {
      target.destroy();
      callback(error);
    },
  });
}

function failing(error: Error): Writable {
  const stream = new Writable({ write: (_chunk, _encoding, callback) => callback(error) });
  process.nextTick(() => stream.destroy(error));
  return stream;
}

/** A size limit as the forms say it: "10 MB". */
export const sizeLimitText = (limits: UploadLimits) => `${Math.floor(limits.maxFileSize / (1024 * 1024))} MB`;

function refusalOf(error: unknown, limits: UploadLimits): UploadRefusal {
  const code = (error as FormidableError).code;
  const size = sizeLimitText(limits);
  if (error instanceof FileTooLargeError) return { key: 'files:refused.tooLarge', values: { name: error.fileName, size } };
  if (code === formErrors.biggerThanMaxFileSize || code === formErrors.biggerThanTotalMaxFileSize) return { key: 'files:refused.tooLargeUnnamed', values: { size } };
  if (code === formErrors.maxFilesExceeded) return { key: 'files:refused.tooMany', values: { count: limits.maxFiles } };
  if (code === formErrors.aborted) throw error;
  return { key: 'files:refused.unreadable' };
}

/** Files the route reads itself, streamed from their temporary files; an empty one is still refused. */
function asReceived(spooled: Spooled[]): ReceivedUploads {
  const empty = spooled.find((file) => file.size === 0);
  if (empty) return { files: [], refusal: { key: 'files:refused.empty', values: { name: empty.originalName } } };
  return { files: spooled.map((file) => ({ originalName: file.originalName, size: file.size, sha256: file.sha256, type: 'csv', content: async () => createReadStream(file.filepath) })) };
}

/** Checks each file's content against the allowed types; the first file refused names the refusal. */
async function inspect(spooled: Spooled[]): Promise<ReceivedUploads> {
  const files: ReceivedFile[] = [];
  for (const file of spooled) {
    if (file.size === 0) return { files: [], refusal: { key: 'files:refused.empty', values: { name: file.originalName } } };
    const received = await recognise(file);
    if (!received) return { files: [], refusal: { key: 'files:refused.type', values: { name: file.originalName } } };
    files.push(received);
  }
  return { files };
}

/** A spooled file with its allowed type, read as little as its type allows; undefined for a refused type. */
async function recognise(file: Spooled): Promise<ReceivedFile | undefined> {
  const described = { originalName: file.originalName, size: file.size, sha256: file.sha256 };
  const leading = typeByLeadingBytes(await headOf(file.filepath));
  if (leading) return { ...described, type: leading, content: async () => createReadStream(file.filepath) };
  const content = await readFile(file.filepath);
  const type = detectFileType(content, file.originalName);
  return type ? { ...described, type, content: async () => content } : undefined;
}

/** The first bytes of a file, enough for typeByLeadingBytes (fewer for a shorter file). */
async function headOf(filepath: string): Promise<Buffer> {
  const handle = await open(filepath, 'r');
  try {
    const head = Buffer.alloc(leadingBytesLength);
    const { bytesRead } = await handle.read(head, 0, leadingBytesLength, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
