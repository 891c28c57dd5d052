import compression from 'compression';
import type { RequestHandler } from 'express';

/**
 * gzip (or deflate) for what compresses well: pages, CSS, SVG, CSV and JSON, judged by the response's
 * type (compressible's list), so PDFs, zips and pictures, compressed already, go out as they are.
 * A streamed CSV stays streamed: each batch is compressed as it is written, with no Content-Length.
 * Responses under 1 KB are not worth it (a redirect, a 304).
 */
export function compressText(): RequestHandler {
  return compression({ threshold: 1024 });
}
