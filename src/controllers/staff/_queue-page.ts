import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { customerPicker } from '../../models/customer-choices.js';
import { listMailIntake } from '../../models/mail-intake.js';
import { filingProblemOf, mailIntakeStatusBadge, type FilingProblem } from '../../presenters/mail-intake.js';
import { renderTaskList } from '../../presenters/task-list-page.js';

/** How many messages from unknown senders the queue shows at once (the oldest are handled first by then). */
const unknownSendersShown = 20;

/**
 * The unassigned queue (T2, T5): the tickets nobody handles yet and, above them, the e-mail from
 * unknown senders (T9), marked as such, that a caretaker files for one of their customers (an admin
 * for any) or puts aside. With `problem`, the filing form of one message is shown again with its
 * message and what was typed (422).
 */
export async function renderQueue(req: Request, res: Response, status = 200, problem?: FilingProblem & { intakeId: number }): Promise<void> {
  const scope = scopeOf(req);
  const { rows, total } = await listMailIntake(scope, { page: 1, perPage: unknownSendersShown, offset: 0 }, 'unmatched');
  const picker = rows.length > 0 ? await customerPicker(scope, { isActiveOnly: true }) : null;
  const unknownSenders = {
    total,
    messages: rows.map((row) => ({ ...row, statusBadge: mailIntakeStatusBadge(row.status), ...filingProblemOf(row.id, problem) })),
    picker,
  };
  await renderTaskList(req, res, { list: 'queue', route: 'staff.queue.index', heading: 'tickets:tasks.queue', emptyKey: 'tickets:tasks.emptyQueue', hasCaretakerFilter: false }, { unknownSenders }, status);
}
