import type { Request, Response } from 'express';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { fileStoresFor } from '../../lib/storage/index.js';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { importUploadLimits, sizeLimitText } from '../../middleware/uploads.js';
import { isImportRunning, listImports, startImport } from '../../models/data-import.js';
import { presentImport } from '../../presenters/data-imports.js';
import { formValues, parseForm, type FieldError } from '../../validators/form.js';
import { importCreateForm, importFormFields } from '../../validators/import.js';

const perPage = 20;
/** How often the page of an import still running reloads itself (no script: a Refresh header). */
const refreshSeconds = 3;

type FormState = { values: Record<string, string>; errors: Record<string, FieldError> };

async function renderImports(req: Request, res: Response, status: number, form: FormState): Promise<void> {
  const page = pageFrom(req.query.page, perPage);
  const { imports, total } = await listImports(scopeOf(req), page);
  const limits = { size: sizeLimitText(importUploadLimits) };
  renderPage(res, 'admin/imports/index', { title: res.locals.t('imports:title'), imports: imports.map(presentImport), pagination: paginate(page, total), limits, ...form }, status);
}

/** GET /:tenant/admin/imports: the upload form, the exports, and the past imports (M7). */
export async function index(req: Request, res: Response): Promise<void> {
  await renderImports(req, res, 200, { values: { mode: 'dry-run' }, errors: {} });
}

/** POST /:tenant/admin/imports: a CSV file queued for a dry run or an import; no file or no kind is 422 with the form. */
export async function create(req: Request, res: Response): Promise<void> {
  const uploads = req.uploads ?? { files: [] };
  const form = parseForm(importCreateForm, req.body);
  const errors: Record<string, FieldError> = form.ok ? {} : { ...form.errors };
  if (uploads.refusal) errors.file = uploads.refusal;
  else if (uploads.files.length === 0) errors.file = { key: 'imports:form.fileRequired' };
  if (!form.ok || Object.keys(errors).length > 0) return renderImports(req, res, 422, { values: formValues(req.body, importFormFields), errors });
  const [file] = uploads.files;
  const id = await startImport(scopeOf(req), fileStoresFor(req.deps.config), { ...form.data, fileName: file!.originalName, fileSize: file!.size }, await file!.content());
  setFlash(req, 'success', form.data.isDryRun ? 'imports:queuedDryRun' : 'imports:queued');
  res.redirect(303, req.pathTo('admin.imports.show', { importId: id }));
}

/** GET /:tenant/admin/imports/:importId: its progress while it runs (the page reloads itself), then its result and bad rows. */
export async function show(req: Request, res: Response): Promise<void> {
  const dataImport = loaded(req, 'dataImport');
  if (isImportRunning(dataImport.status)) res.setHeader('Refresh', String(refreshSeconds));
  renderPage(res, 'admin/imports/show', { title: res.locals.t('imports:show.title', { id: dataImport.id }), dataImport: presentImport(dataImport) });
}
