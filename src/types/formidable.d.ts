/** The part of formidable 3 (which ships no types) that middleware/uploads.ts uses. */
declare module 'formidable' {
  import type { EventEmitter } from 'node:events';
  import type { IncomingMessage } from 'node:http';
  import type { Writable } from 'node:stream';

  export type Part = { name: string | null; originalFilename: string | null; mimetype: string | null };
  export type VolatileFile = EventEmitter & { originalFilename: string | null; size: number; hash: string | null; filepath: string };
  export type Options = {
    maxFields?: number;
    maxFieldsSize?: number;
    maxFiles?: number;
    maxFileSize?: number;
    maxTotalFileSize?: number;
    minFileSize?: number;
    allowEmptyFiles?: boolean;
    hashAlgorithm?: string | false;
    fileWriteStreamHandler?: (file: VolatileFile) => Writable;
    filter?: (part: Part) => boolean;
  };
  export type FormidableError = Error & { code: number; httpCode: number };
  export class IncomingForm extends EventEmitter {
    constructor(options?: Options);
    parse(req: IncomingMessage): Promise<[Record<string, string[]>, Record<string, VolatileFile[]>]>;
  }
  export const errors: { maxFilesExceeded: number; biggerThanMaxFileSize: number; biggerThanTotalMaxFileSize: number; maxFieldsExceeded: number; maxFieldsSizeExceeded: number; aborted: number };
}
