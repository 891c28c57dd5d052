import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { attachmentDisposition } from '../../lib/file-names.js';
import { fileStoresFor } from '../../lib/storage/index.js';
import { rawOfIntake } from '../../models/mail-intake.js';

/**
 * GET /:tenant/admin/mail-intake/:intakeId/message: a kept e-mail message as it came (T9), to admins
 * only. Always a download (message/rfc822), never shown in the browser: a stranger wrote it.
 */
export async function show(req: Request, res: Response): Promise<void> {
  const intake = loaded(req, 'mailIntake');
  const content = await rawOfIntake(scopeOf(req), fileStoresFor(req.deps.config), intake);
  res.setHeader('Content-Type', 'message/rfc822');
  res.setHeader('Content-Length', String(intake.rawSize));
  res.setHeader('Content-Disposition', attachmentDisposition(`message-${intake.id}.eml`));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  await pipeline(content, res);
}
