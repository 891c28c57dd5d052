import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';

/**
 * gzip (or deflate, brotli) for what compresses well: pages, CSS and SVG, judged by the response's
 * type (compressible's list), so PDFs, zips and pictures, compressed already, go out as they are.
 * Responses under 1 KB are not worth it (a redirect, a 304). Downloads (Content-Disposition:
 * attachment, the CSV exports) go out as written: compression 1.8 keeps every 'drain' listener a
 * streamed export adds while it waits for its reader (it forwards on() to its zlib stream but not
 * removeListener()), so a long export would pile up listeners on the gzip stream.
 */
export function compressText(): RequestHandler {
  return compression({ threshold: 1024, filter: isWorthCompressing });
}

function isWorthCompressing(req: Request, res: Response): boolean {
  if (/^\s*attachment\b/i.test(String(res.getHeader('Content-Disposition') ?? ''))) return false;
  return compression.filter(req, res);
}
