import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { pageFrom } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { listCaretakerChoices } from '../../models/customer.js';
import { listTicketCategories } from '../../models/ticket-category.js';
import { listCustomerChoices, listTasks } from '../../models/ticket-list.js';
import { taskFilterChoices, taskFilterParameters, taskRow } from '../../presenters/task-list.js';
import { taskListQuery } from '../../validators/ticket.js';

const perPage = 25;

/**
 * GET /:tenant/admin/tasks: every task of the tenant (T5), filtered by caretaker among the rest;
 * "overdue" makes it the admins' list of overdue tasks across caretakers.
 */
export async function index(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const filters = taskListQuery.parse(req.query);
  const [{ rows, pagination }, categories, customers, staff] = await Promise.all([
    listTasks(scope, 'all', filters, pageFrom(req.query.page, perPage)),
    listTicketCategories(scope, { isActiveOnly: false }),
    listCustomerChoices(scope),
    listCaretakerChoices(scope),
  ]);
  const parameters = taskFilterParameters(filters);
  renderPage(res, 'staff/tasks/index', {
    title: res.locals.t('tickets:tasks.all'),
    heading: 'tickets:tasks.all',
    route: 'admin.tasks.index',
    rows: rows.map((row) => taskRow(row, req.locale)),
    pagination,
    filters,
    choices: taskFilterChoices({ categories, customers, staff: staff.map((person) => ({ id: person.id, name: person.name })), locale: req.locale }),
    filterParameters: parameters,
    hasFilters: Object.values(parameters).some((value) => value !== undefined),
    hasCaretakerFilter: true,
    emptyKey: 'tickets:tasks.emptyAll',
  });
}
