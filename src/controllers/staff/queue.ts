import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { pageFrom } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { listTicketCategories } from '../../models/ticket-category.js';
import { listCustomerChoices, listTasks } from '../../models/ticket-list.js';
import { taskFilterChoices, taskFilterParameters, taskRow } from '../../presenters/task-list.js';
import { taskListQuery } from '../../validators/ticket.js';

const perPage = 25;

/** GET /:tenant/staff/queue: the unassigned queue, where caretakers take tickets and admins assign them (T2, T5). */
export async function index(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const filters = taskListQuery.parse(req.query);
  const [{ rows, pagination }, categories, customers] = await Promise.all([listTasks(scope, 'queue', filters, pageFrom(req.query.page, perPage)), listTicketCategories(scope, { isActiveOnly: false }), listCustomerChoices(scope)]);
  const parameters = taskFilterParameters(filters);
  renderPage(res, 'staff/tasks/index', {
    title: res.locals.t('tickets:tasks.queue'),
    heading: 'tickets:tasks.queue',
    route: 'staff.queue.index',
    rows: rows.map((row) => taskRow(row, req.locale)),
    pagination,
    filters,
    choices: taskFilterChoices({ categories, customers, staff: [], locale: req.locale }),
    filterParameters: parameters,
    hasFilters: Object.values(parameters).some((value) => value !== undefined),
    hasCaretakerFilter: false,
    emptyKey: 'tickets:tasks.emptyQueue',
  });
}
