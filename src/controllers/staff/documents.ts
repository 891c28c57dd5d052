import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { renderPage } from '../../lib/render.js';
import { presentDocuments } from '../../presenters/documents.js';

/** GET /:tenant/staff/documents/:documentId: one document of a customer the member of staff sees (T6). */
export async function show(req: Request, res: Response): Promise<void> {
  const [document] = presentDocuments([loaded(req, 'document')], req.locale);
  renderPage(res, 'staff/documents/show', { title: document!.title, document });
}
