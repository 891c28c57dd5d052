import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { attachmentDisposition } from '../../lib/file-names.js';
import { fileStoresFor } from '../../lib/storage/index.js';
import { contentOf } from '../../models/stored-file.js';

/**
 * GET /:tenant/files/:fileId: a file, to whoever may see what it belongs to (load.file; anyone else
 * gets 404). Always a download under its safe name, with the type found in its content, never
 * sniffed, never cached, and sandboxed should a browser show it anyway.
 */
export async function show(req: Request, res: Response): Promise<void> {
  const file = loaded(req, 'file');
  const content = await contentOf(scopeOf(req), fileStoresFor(req.deps.config), file);
  res.setHeader('Content-Type', file.mediaType.startsWith('text/') ? `${file.mediaType}; charset=utf-8` : file.mediaType);
  res.setHeader('Content-Length', String(file.size));
  res.setHeader('Content-Disposition', attachmentDisposition(file.safeName));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  await pipeline(content, res);
}
