import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { customerPicker } from '../../models/customer-choices.js';
import { listMailIntake } from '../../models/mail-intake.js';
import { filingProblemOf, mailIntakeErrorText, mailIntakeStatusBadge, type FilingProblem } from '../../presenters/mail-intake.js';

const perPage = 30;

/**
 * The list of e-mail messages waiting for an admin (T9), latest first; with `problem`, the filing
 * form of one message is shown again with its message and what was typed (422).
 */
export async function renderMailIntakeList(req: Request, res: Response, status = 200, problem?: FilingProblem & { intakeId: number }): Promise<void> {
  const scope = scopeOf(req);
  const page = pageFrom(req.query.page, perPage);
  const { rows, total } = await listMailIntake(scope, page, 'waiting');
  const picker = rows.some((row) => row.status === 'unmatched') ? await customerPicker(scope, { isActiveOnly: true }) : null;
  renderPage(res, 'admin/mail-intake/index', {
    title: res.locals.t('mailIntake:title'),
    messages: rows.map((row) => ({ ...row, statusBadge: mailIntakeStatusBadge(row.status), errorText: mailIntakeErrorText(row.error), ...filingProblemOf(row.id, problem) })),
    picker,
    pagination: paginate(page, total),
  }, status);
}
