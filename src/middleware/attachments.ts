import type { Request } from 'express';
import { allowedTypeLabels } from '../lib/file-types.js';
import { fileStoresFor } from '../lib/storage/index.js';
import type { Attachments } from '../models/ticket-attachment.js';
import type { FieldError } from '../validators/form.js';
import { sizeLimitText, uploadLimits } from './uploads.js';

/** What a form's file field says of its limits (views/partials/attachment-field.ejs). */
export const attachmentLimits = { maxFiles: uploadLimits.maxFiles, size: sizeLimitText(uploadLimits), types: allowedTypeLabels } as const;

/**
 * The optional files of a ticket's or a message's form (T6): for the model, with the store that
 * keeps new files; or the refusal of them (too many, too large, a refused type), for the form to
 * show again (422). `wereSent` says whether the form came with files, which the form, shown again,
 * asks to be chosen again: browsers never keep a file input's choice, and we keep no files of a
 * refused form.
 */
export function attachmentsOf(req: Request): { attachments: Attachments; refusal: FieldError | undefined; wereSent: boolean } {
  const uploads = req.uploads ?? { files: [] };
  return {
    attachments: { store: fileStoresFor(req.deps.config).forNewFiles, files: uploads.files },
    refusal: uploads.refusal,
    wereSent: uploads.files.length > 0 || uploads.refusal !== undefined,
  };
}
