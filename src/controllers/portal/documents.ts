import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { clientCustomerOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { allowedTypeLabels } from '../../lib/file-types.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { fileStoresFor } from '../../lib/storage/index.js';
import { addDocument, listDocuments } from '../../models/document.js';
import { presentDocuments } from '../../presenters/documents.js';
import { sizeLimitText, uploadLimits } from '../../middleware/uploads.js';
import { documentCreateForm, documentDescriptionLength, documentFormFields } from '../../validators/document.js';
import { formValues, parseForm, type FieldError } from '../../validators/form.js';

const perPage = 25;

type FormState = { values: Record<string, string>; errors: Record<string, FieldError> };

async function renderDocuments(req: Request, res: Response, status: number, form: FormState): Promise<void> {
  const customer = await clientCustomerOf(req);
  const page = pageFrom(req.query.page, perPage);
  const { documents, total } = await listDocuments(scopeOf(req), customer.id, page);
  const limits = { maxFiles: uploadLimits.maxFiles, size: sizeLimitText(uploadLimits), types: allowedTypeLabels, descriptionLength: documentDescriptionLength };
  renderPage(res, 'portal/documents/index', { title: res.locals.t('documents:portal.title'), documents: presentDocuments(documents, req.locale), pagination: paginate(page, total), limits, ...form }, status);
}

/** GET /:tenant/portal/documents: the documents the client sees (A12: a primary contact all of the company's), and the form to add one (T6). */
export async function index(req: Request, res: Response): Promise<void> {
  await renderDocuments(req, res, 200, { values: { submissionKey: randomUUID() }, errors: {} });
}

/** POST /:tenant/portal/documents: a document with 1–5 files; a refusal shows the form again with what was typed (422). */
export async function create(req: Request, res: Response): Promise<void> {
  const customer = await clientCustomerOf(req);
  const uploads = req.uploads ?? { files: [] };
  const values = formValues(req.body, documentFormFields);
  const form = parseForm(documentCreateForm, req.body);
  const errors: Record<string, FieldError> = form.ok ? {} : { ...form.errors };
  if (uploads.refusal) errors.files = uploads.refusal;
  else if (uploads.files.length === 0) errors.files = { key: 'files:refused.none' };
  if (!form.ok || Object.keys(errors).length > 0) return renderDocuments(req, res, 422, { values: { ...values, submissionKey: values.submissionKey || randomUUID() }, errors });
  await addDocument(scopeOf(req), fileStoresFor(req.deps.config), { customerId: customer.id, ...form.data }, uploads.files);
  setFlash(req, 'success', 'documents:portal.added');
  res.redirect(303, req.pathTo('portal.documents.index'));
}

/** GET /:tenant/portal/documents/:documentId: one document the client sees (its own; a primary contact's, any of the company's). */
export async function show(req: Request, res: Response): Promise<void> {
  const [document] = presentDocuments([loaded(req, 'document')], req.locale);
  renderPage(res, 'portal/documents/show', { title: document!.title, document });
}
